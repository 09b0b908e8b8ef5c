using JobMatch.Identity;
using JobMatch.Web;
using JobMatch.Vacancies;

namespace JobMatch.Employers;

internal static class EmployerValidator
{
    public sealed record Valid(string Name, string Membership, string MembershipNumber, string TradeLicenceNumber, string ContactPerson,
        string? ContactEmail, string? ContactPhone, string Address, string SectorCode, bool ChargesRecruitmentFee, string PreferredLanguage);

    public static Valid? Validate(EmployerInput input, TaxonomySnapshot taxonomy, FieldErrors errors)
    {
        string? Required(string field, string? value, int max = 200)
        {
            var clean = TextInput.Clean(value);
            if (clean is null) errors.Add(field, "Required");
            else if (clean.Length > max) errors.Add(field, "TooLong");
            TextInput.Storable(errors, field, clean);
            return clean;
        }

        var name = Required("name", input.Name);
        var membership = Required("membership", input.Membership);
        if (membership is not null && !Memberships.All.Contains(membership)) errors.Add("membership", "UnknownMembership");
        var number = Required("membershipNumber", input.MembershipNumber, 50);
        var licence = Required("tradeLicenceNumber", input.TradeLicenceNumber, 50);
        var person = Required("contactPerson", input.ContactPerson);
        var address = Required("address", input.Address, 500);
        var sector = Required("sectorCode", input.SectorCode);
        if (sector is not null && !taxonomy.SectorsByCode.ContainsKey(sector)) errors.Add("sectorCode", "UnknownSector", sector);

        var email = TextInput.Clean(input.ContactEmail);
        if (email is not null && (email.Length > 200 || !email.Contains('@') || email.Contains(' ') || email.Contains('\0'))) errors.Add("contactEmail", "EmailInvalid");
        var phoneText = TextInput.Clean(input.ContactPhone);
        var phone = PhoneNumber.Normalize(phoneText);
        if (phoneText is not null && phone is null) errors.Add("contactPhone", "PhoneInvalid");
        if (email is null && phoneText is null) errors.Add("contactPhone", "PhoneOrEmailRequired");

        var language = TextInput.Clean(input.PreferredLanguage) ?? "en";
        if (language is not ("en" or "bn")) errors.Add("preferredLanguage", "UnknownLanguage");

        return errors.IsEmpty
            ? new Valid(name!, membership!, number!, licence!, person!, email, phone, address!, sector!, input.ChargesRecruitmentFee, language)
            : null;
    }
}
