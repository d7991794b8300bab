namespace Alquimia.Warehouse;

/// <summary>The newest watermark value a model has processed, kept as text with its DuckDB type so it casts back exactly.</summary>
public sealed record StoredWatermark(string Column, string Value, string Type);
