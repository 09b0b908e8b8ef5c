namespace JobMatch.MatchingContract;

/// <summary>
/// What features call after committing a change that matching should react to. Matching owns this contract; the
/// background-jobs feature implements it by enqueuing idempotent jobs that take ids only, so features never depend on
/// Hangfire or on JobMatch.BackgroundJobs. A lost call costs nothing but time: the recurring vacancy-event poll and the
/// nightly re-match catch anything a crash between the commit and the call left behind.
/// </summary>
internal interface IMatchingTriggers
{
    /// <summary>Vacancy events were committed (publish, skills change, close): process them now, not at the next poll.</summary>
    void VacancyEventsRecorded();

    /// <summary>A seeker's skills, profile, do-not-match rules or matching consent changed.</summary>
    void SeekerChanged(long seekerId);

    /// <summary>Many seekers changed at once (a training provider's upload).</summary>
    void SeekersChanged(IReadOnlyCollection<long> seekerIds);
}
