using JobMatch.Web;
using JobMatch.Onboarding;
using JobMatch.Vacancies;

namespace JobMatch.Pages.Shared;

/// <summary>An organisation's people; with <see cref="DeactivateFor"/> set, each active one has a Deactivate button.</summary>
internal sealed record StaffListView(IReadOnlyList<Organisations.Person> Staff, Guid? DeactivateFor);

/// <summary>The invitation form and, once made, the link to hand over.</summary>
internal sealed record InviteFormView(string? UserName, string? DisplayName, FieldErrors Errors, string? Link, bool OfferLead);
