namespace Alquimia.Examples.VCredit;

/// <summary>
/// What <see cref="VCreditGenerator"/> writes. The same options always produce the same data (the content read back,
/// not the file bytes): every value is a hash of <see cref="Seed"/>, a row's id and the column's name.
/// </summary>
public sealed record VCreditGeneratorOptions
{
    /// <summary>Chamados opened over all <see cref="Days"/> (a next day adds about <c>Rows / Days</c>). The default is 100,000.</summary>
    public long Rows { get; init; } = 100_000;

    /// <summary>The seed of every pseudo-random choice. The default is 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Days of landing data (one ingestion_date partition per table per day). The default is 30.</summary>
    public int Days { get; init; } = 30;

    /// <summary>The first ingestion date. The default is 2026-01-01.</summary>
    public DateOnly StartDate { get; init; } = new(2026, 1, 1);

    /// <summary>
    /// The share of chamados (with their children) that carry one defect: orphan client or agent, closed before opened,
    /// unknown status, negative cost, duplicate id in a batch, or a survey score out of range. The default is 0.02.
    /// </summary>
    public double BadRowShare { get; init; } = 0.02;

    /// <summary>The share of chamados that land one to three days after they were opened. The default is 0.01.</summary>
    public double LateRowShare { get; init; } = 0.01;

    /// <summary>DuckDB threads used to generate; null uses DuckDB's default (one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>Agents in the call centre: about one per 30 chamados a day, at least 10.</summary>
    internal long Atendentes => Math.Max(10, (long)Math.Ceiling(Rows / (double)Days / 30));

    /// <summary>Clients: about one per four chamados, at least 100.</summary>
    internal long Clientes => Math.Max(100, Rows / 4);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Rows, 1, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Days, 9999, nameof(Days));
        if (BadRowShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BadRowShare), BadRowShare, "BadRowShare must be between 0 and 1.");
        }

        if (LateRowShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(LateRowShare), LateRowShare, "LateRowShare must be between 0 and 1.");
        }
    }
}
