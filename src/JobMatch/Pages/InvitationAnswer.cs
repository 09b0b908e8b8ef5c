using JobMatch.Onboarding;
using JobMatch.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JobMatch.Pages;

/// <summary>What an invitation form shows after sending (the admin's organisation page and the lead case worker's team page).</summary>
internal static class InvitationAnswer
{
    /// <summary>
    /// Not created: the errors next to each field (aria-invalid/aria-describedby, the field tag helper) in the user's
    /// language, with a 400. Created: sent, with the link to hand over when there is one. The answer is the same whether
    /// or not the address already has an account (<see cref="Invitations"/> says why).
    /// </summary>
    public static (bool Sent, string? Link) Show(PageModel page, Invitations.Created? created, FieldErrors errors)
    {
        if (created is null)
        {
            page.ShowErrors<JobMatch.Vacancies.BoardText>(errors);
            page.Response.StatusCode = StatusCodes.Status400BadRequest;
            return (false, null);
        }
        return (true, created.HandOverToken is { } token ? InvitationLinks.For(page.Request, token) : null);
    }
}
