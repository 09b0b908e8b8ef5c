using JobMatch.Employers;
using JobMatch.Web;
using JobMatch.Vacancies;

namespace JobMatch.Pages.Employer;

/// <summary>What the shared employer fields partial needs (the employer's profile page and the admin's "new employer" page).</summary>
internal sealed record EmployerFieldsView(string Prefix, EmployerInput Input, FieldErrors Errors, TaxonomySnapshot Reference, bool Bangla);
