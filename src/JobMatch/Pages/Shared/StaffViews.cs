using JobMatch.Web;
using JobMatch.Onboarding;

namespace JobMatch.Pages.Shared;

/// <summary>An organisation's people; with <see cref="DeactivateFor"/> set, each active one has a Deactivate button.</summary>
internal sealed record StaffListView(IReadOnlyList<Organisations.Person> Staff, Guid? DeactivateFor);

/// <summary>The invitation form and, once made, the link to hand over.</summary>
/// <param name="Sent">The invitation was made (and e-mailed); <paramref name="Link"/>: the hand-over link where no mail server is set.</param>
internal sealed record InviteFormView(string? UserName, string? DisplayName, string? Language, FieldErrors Errors, bool Sent, string? Link, bool OfferLead);
