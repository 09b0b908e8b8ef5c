using Microsoft.Extensions.Localization;

namespace JobMatch.Web;

/// <summary>
/// Field-level validation messages as resource keys (with an optional argument), so the same check can answer
/// a form in Bangla, a 400 problem document, and a CSV row report. Field names are the API's camelCase names.
/// </summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<(string Key, string? Arg)>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;
    public IEnumerable<string> Fields => _errors.Keys;

    public void Add(string field, string key, string? arg = null)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add((key, arg));
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public IEnumerable<(string Field, string Key, string? Arg)> All =>
        _errors.SelectMany(p => p.Value.Select(e => (p.Key, e.Key, e.Arg)));

    public IEnumerable<string> Messages(string field, IStringLocalizer text) =>
        _errors.TryGetValue(field, out var list) ? list.Select(e => Format(text, e.Key, e.Arg)) : [];

    public Dictionary<string, string[]> ToDictionary(IStringLocalizer text) =>
        _errors.ToDictionary(p => p.Key, p => p.Value.Select(e => Format(text, e.Key, e.Arg)).ToArray());

    public static string Format(IStringLocalizer text, string key, string? arg) =>
        arg is null ? text[key].Value : text[key, arg].Value;
}
