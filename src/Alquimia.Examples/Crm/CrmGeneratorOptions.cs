namespace Alquimia.Examples.Crm;

/// <summary>
/// What <see cref="CrmGenerator"/> writes. The same options always give the same data: every value is a hash of
/// <see cref="Seed"/>, a row's id and the column's name, and each day's files depend on that day alone.
/// </summary>
public sealed record CrmGeneratorOptions
{
    /// <summary>The seed of every pseudo-random choice. The default is 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Organizations (franquias), ORG1 to ORGn. The default is 4.</summary>
    public int Organizations { get; init; } = 4;

    /// <summary>Locations (unidades) of each organization. The default is 3.</summary>
    public int LocationsPerOrganization { get; init; } = 3;

    /// <summary>Verifications made each day, over every location. The default is 40.</summary>
    public int VerificationsPerDay { get; init; } = 40;

    /// <summary>Questions answered in each verification; the first three are critical controls. The default is 10.</summary>
    public int QuestionsPerVerification { get; init; } = 10;

    /// <summary>Days of landing data (one ingestion_date partition per table per day). The default is 30.</summary>
    public int Days { get; init; } = 30;

    /// <summary>The first ingestion date. The default is 2026-11-01.</summary>
    public DateOnly StartDate { get; init; } = new(2026, 11, 1);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Organizations, 1, nameof(Organizations));
        ArgumentOutOfRangeException.ThrowIfLessThan(LocationsPerOrganization, 1, nameof(LocationsPerOrganization));
        ArgumentOutOfRangeException.ThrowIfLessThan(VerificationsPerDay, 1, nameof(VerificationsPerDay));
        ArgumentOutOfRangeException.ThrowIfLessThan(QuestionsPerVerification, 3, nameof(QuestionsPerVerification));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(QuestionsPerVerification, 99, nameof(QuestionsPerVerification));
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
    }
}
