namespace JobMatch.BackgroundJobs;

/// <summary>
/// Marks a class whose public methods Hangfire runs. Such a class is named as a verb (<c>DispatchOutbox</c>), stays
/// thin (it calls a service), is idempotent, and its methods take ids, enums and a CancellationToken only, because
/// job arguments are stored in the database and shown on the dashboard (R18). A reflection test checks this.
/// </summary>
internal interface IHangfireJob;
