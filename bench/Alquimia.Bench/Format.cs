using System.Globalization;

namespace Alquimia.Bench;

/// <summary>How figures are written in the tables: invariant culture, thousands separators, fixed units.</summary>
internal static class Format
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Rows per second in millions, e.g. <c>7.42 M</c>.</summary>
    public static string RowsPerSecond(double value) => (value / 1e6).ToString("N2", CultureInfo.InvariantCulture) + " M";

    public static string Nanoseconds(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => value.ToString("N2", CultureInfo.InvariantCulture) + "x";

    public static string Percent(double value) => (value * 100).ToString("N0", CultureInfo.InvariantCulture) + "%";

    public static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("N0", CultureInfo.InvariantCulture) + " MB";

    public static string Megabytes(long? bytes) => bytes is { } value ? Megabytes(value) : "n/a";

    public static string BytesPerRow(long bytes, long rows) => ((double)bytes / rows).ToString("N1", CultureInfo.InvariantCulture);

    /// <summary>The checksum's low 32 bits in hex: enough to see that two runs read the same values.</summary>
    public static string Checksum(long value) => ((uint)value).ToString("x8", CultureInfo.InvariantCulture);
}
