using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JobMatch.Web;

/// <summary>
/// Puts a validator's field errors (API field names such as <c>phone</c> or <c>upazilaCode</c>) into a page's
/// ModelState under the form's own input names (<c>Phone</c>, <c>Profile.UpazilaCode</c>), localised. From there
/// <see cref="FieldTagHelper"/> shows each message next to its input and the layout lists them at the top.
/// </summary>
internal static class FormErrors
{
    /// <summary>Messages written as English sentences (the keys of ValidationText), localised here.</summary>
    public static void AddFieldErrors(this ModelStateDictionary state, IReadOnlyDictionary<string, string[]> errors,
        IStringLocalizer<ValidationText> text, IEnumerable<string> formKeys, string prefix = "")
    {
        var keys = formKeys.ToList();
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages) state.AddModelError(FormKey(field, keys, prefix), Localise(text, message));
        }
    }

    /// <summary>Errors that already carry resource keys (vacancies, employers), localised with their own resource.</summary>
    public static void AddFieldErrors(this ModelStateDictionary state, FieldErrors errors, IStringLocalizer text,
        IEnumerable<string> formKeys, string prefix = "")
    {
        var keys = formKeys.ToList();
        foreach (var (field, key, arg) in errors.All) state.AddModelError(FormKey(field, keys, prefix), FieldErrors.Format(text, key, arg));
    }

    /// <summary>The English sentence in the user's language; a sentence without a translation stays as it is.</summary>
    public static string Localise(IStringLocalizer text, string message)
    {
        var found = text[message];
        return found.ResourceNotFound ? message : found.Value;
    }

    /// <summary>
    /// The posted input whose last name segment is the field (case-insensitive), e.g. <c>phone</c> → <c>Phone</c>,
    /// <c>upazilaCode</c> → <c>Profile.UpazilaCode</c>; a field with nothing posted (an unticked checkbox list)
    /// gets the prefix and a capital letter.
    /// </summary>
    public static string FormKey(string field, IReadOnlyList<string> formKeys, string prefix = "")
    {
        foreach (var key in formKeys)
        {
            var last = key[(key.LastIndexOf('.') + 1)..];
            if (string.Equals(last, field, StringComparison.OrdinalIgnoreCase)) return key;
        }
        return field.Length == 0 ? prefix : prefix + char.ToUpperInvariant(field[0]) + field[1..];
    }

    public static IEnumerable<string> FormKeys(this HttpRequest request) =>
        request.HasFormContentType ? request.Form.Keys : [];

    /// <summary>Shows a validator's English-sentence errors on this page's form (see <see cref="AddFieldErrors(ModelStateDictionary, IReadOnlyDictionary{string, string[]}, IStringLocalizer{ValidationText}, IEnumerable{string}, string)"/>).</summary>
    public static void ShowErrors(this PageModel page, IReadOnlyDictionary<string, string[]> errors, string prefix = "") =>
        page.ModelState.AddFieldErrors(errors, page.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<ValidationText>>(), page.Request.FormKeys(), prefix);

    /// <summary>Shows resource-keyed errors on this page's form, translated with the resource <typeparamref name="TText"/>.</summary>
    public static void ShowErrors<TText>(this PageModel page, FieldErrors errors, string prefix = "") =>
        page.ModelState.AddFieldErrors(errors, page.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<TText>>(), page.Request.FormKeys(), prefix);
}
