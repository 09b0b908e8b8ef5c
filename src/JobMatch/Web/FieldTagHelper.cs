using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace JobMatch.Web;

/// <summary>
/// Every input, select and textarea of every form: when ModelState holds an error for its name, the message is
/// written right after it (<c>id="…-error"</c>), the field gets <c>aria-invalid</c> and <c>aria-describedby</c>,
/// and the field is registered for the summary the layout shows at the top. After a failed POST every field gets
/// back what was typed (ModelState's attempted value), even where the page writes a default, so no form loses input.
/// </summary>
[HtmlTargetElement("input", Attributes = "name", TagStructure = TagStructure.WithoutEndTag)]
[HtmlTargetElement("input", Attributes = "asp-for", TagStructure = TagStructure.WithoutEndTag)]
[HtmlTargetElement("select", Attributes = "name")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "name")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class FieldTagHelper : TagHelper
{
    internal const string SelectedValues = "jm.field.selected";
    private static readonly HashSet<string> NotRefilled = new(StringComparer.OrdinalIgnoreCase) { "hidden", "password", "file", "submit", "button", "checkbox", "radio" };

    // After the built-in tag helpers, which write name, id and value for asp-for.
    public override int Order => 1000;

    [HtmlAttributeNotBound, ViewContext] public ViewContext ViewContext { get; set; } = null!;

    public override void Init(TagHelperContext context)
    {
        // Options of a hand-written select learn the posted choice from here (see PostedOptionTagHelper).
        if (context.TagName == "select" && context.AllAttributes.TryGetAttribute("name", out var name) && Refill(context)
            && ViewContext.ModelState.TryGetValue(Text(name.Value), out var entry) && entry.RawValue is not null)
        {
            context.Items[SelectedValues] = entry.RawValue is string[] many ? many : [Convert.ToString(entry.RawValue, System.Globalization.CultureInfo.InvariantCulture) ?? ""];
        }
    }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = output.Attributes.TryGetAttribute("name", out var n) ? Text(n.Value) : null;
        var type = output.Attributes.TryGetAttribute("type", out var t) ? Text(t.Value) : "text";
        if (string.IsNullOrEmpty(name) || (output.TagName == "input" && type is "hidden" or "submit" or "button") || !Refill(context)) return;
        var state = ViewContext.ModelState;
        state.TryGetValue(name, out var entry);

        if (entry?.AttemptedValue is { } typed && state.ErrorCount > 0) Restore(output, type, typed, entry.RawValue);
        if (entry is null || entry.Errors.Count == 0) return;

        var shown = FieldRegistry.For(ViewContext.HttpContext);
        if (!output.Attributes.TryGetAttribute("id", out var idAttribute))
        {
            output.Attributes.SetAttribute("id", TagBuilder.CreateSanitizedId(name, "_"));
        }
        var id = idAttribute is null ? TagBuilder.CreateSanitizedId(name, "_") : Text(idAttribute.Value);
        var errorId = shown.TryGetValue(name, out var first) ? first + "-error" : id + "-error";
        output.Attributes.SetAttribute("aria-invalid", "true");
        var describedBy = output.Attributes.TryGetAttribute("aria-describedby", out var d) ? Text(d.Value) + " " + errorId : errorId;
        output.Attributes.SetAttribute("aria-describedby", describedBy);
        if (first is not null) return; // one message per name, after the first of a group of checkboxes
        shown[name] = id;
        var encoder = HtmlEncoder.Default;
        var html = $"<span class=\"field-error\" id=\"{encoder.Encode(errorId)}\">{string.Join(" ", entry.Errors.Select(e => encoder.Encode(e.ErrorMessage)))}</span>";
        output.PostElement.AppendHtml(html);
    }

    private static void Restore(TagHelperOutput output, string type, string typed, object? raw)
    {
        if (output.TagName == "textarea")
        {
            if (output.Content.IsEmptyOrWhiteSpace) output.Content.SetContent(typed);
            return;
        }
        if (output.TagName != "input") return;
        if (type is "checkbox" or "radio")
        {
            var value = output.Attributes.TryGetAttribute("value", out var v) ? Text(v.Value) : "on";
            var values = raw as string[] ?? [typed];
            if (values.Contains(value)) output.Attributes.SetAttribute("checked", "checked");
            else output.Attributes.RemoveAll("checked");
            return;
        }
        if (!NotRefilled.Contains(type)) output.Attributes.SetAttribute("value", typed);
    }

    /// <summary>False inside a form marked <c>jm-posted="false"</c>: a page with one form per row refills only the row that was sent.</summary>
    private static bool Refill(TagHelperContext context) =>
        !context.Items.TryGetValue(PostedFormTagHelper.Posted, out var posted) || posted is not false;

    internal static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        HtmlString h => System.Net.WebUtility.HtmlDecode(h.Value ?? ""),
        IHtmlContent content => Render(content),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static string Render(IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, HtmlEncoder.Default);
        return System.Net.WebUtility.HtmlDecode(writer.ToString());
    }
}

/// <summary><c>jm-posted="false"</c> on a form: its fields are not refilled from another form's POST of the same names.</summary>
[HtmlTargetElement("form", Attributes = "jm-posted")]
public sealed class PostedFormTagHelper : TagHelper
{
    internal const string Posted = "jm.form.posted";

    [HtmlAttributeName("jm-posted")] public bool IsPosted { get; set; } = true;

    public override void Init(TagHelperContext context) => context.Items[Posted] = IsPosted;
}

/// <summary>An option of a hand-written select is chosen again after a failed POST when it was the posted value.</summary>
[HtmlTargetElement("option")]
public sealed class PostedOptionTagHelper : TagHelper
{
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (!context.Items.TryGetValue(FieldTagHelper.SelectedValues, out var v) || v is not string[] values) return;
        var value = output.Attributes.TryGetAttribute("value", out var a) ? FieldTagHelper.Text(a.Value) : null;
        if (value is null) return;
        if (values.Contains(value)) output.Attributes.SetAttribute("selected", "selected");
        else output.Attributes.RemoveAll("selected");
    }
}

/// <summary>The fields that showed an error in this response, in page order (name → element id), for the summary.</summary>
internal static class FieldRegistry
{
    private static readonly object Key = new();

    public static Dictionary<string, string> For(HttpContext context)
    {
        if (context.Items[Key] is not Dictionary<string, string> shown) context.Items[Key] = shown = new(StringComparer.OrdinalIgnoreCase);
        return shown;
    }
}

/// <summary>
/// Forms that post are checked by the server, whose messages are in the user's language and sit next to the field;
/// the browser's own bubbles speak the browser's language and vanish, so they are switched off.
/// </summary>
[HtmlTargetElement("form", Attributes = "method")]
public sealed class ServerValidatedFormTagHelper : TagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (context.AllAttributes.TryGetAttribute("method", out var m) && string.Equals(FieldTagHelper.Text(m.Value), "post", StringComparison.OrdinalIgnoreCase))
        {
            output.Attributes.SetAttribute("novalidate", "novalidate");
        }
    }
}
