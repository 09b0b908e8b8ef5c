namespace JobMatch.Identity;

internal static class Roles
{
    public const string Admin = "admin";
    public const string Employer = "employer";
    public const string TrainingProvider = "training_provider";
    public const string CaseWorker = "case_worker";
    public const string JobSeeker = "job_seeker";
    /// <summary>Staff of one membership body (the Chamber, the Women Chamber, NASCIB): vets that body's members only.</summary>
    public const string ChamberAdmin = "chamber_admin";

    public static readonly string[] All = [Admin, Employer, TrainingProvider, CaseWorker, JobSeeker, ChamberAdmin];
}

/// <summary>Authorization policy names. Every endpoint names one of these or is on the reviewed anonymous list.</summary>
internal static class Policies
{
    public const string Admin = "Admin";
    public const string Employer = "Employer";
    public const string TrainingProvider = "TrainingProvider";
    public const string CaseWorker = "CaseWorker";
    public const string JobSeeker = "JobSeeker";
    public const string ChamberAdmin = "ChamberAdmin";
    /// <summary>Any signed-in user (own account pages, sign-out).</summary>
    public const string SignedIn = "SignedIn";
    /// <summary>Case workers and admins (programme staff who may see seekers' identity in their scope).</summary>
    public const string CaseWork = "CaseWork";
}
