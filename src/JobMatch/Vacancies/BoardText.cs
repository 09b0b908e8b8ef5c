namespace JobMatch.Vacancies;

/// <summary>Marker for the job board's strings (BoardText.resx / BoardText.bn.resx): board, employer and admin pages, API messages.</summary>
public sealed class BoardText;
