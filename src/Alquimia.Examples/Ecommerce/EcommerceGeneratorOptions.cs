namespace Alquimia.Examples.Ecommerce;

/// <summary>
/// How much seed 002's e-commerce data <see cref="EcommerceGenerator"/> writes. The same options, and the same days
/// generated in the same order, write the same rows.
/// </summary>
public sealed record EcommerceGeneratorOptions
{
    /// <summary>The randomness of every choice. The default is 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Customers the first day creates; each later day adds, changes and deletes a few percent of them. The default is 200.</summary>
    public int Customers { get; init; } = 200;

    /// <summary>Products the first day creates; each later day adds, reprices, recategorizes and deletes a few. The default is 40.</summary>
    public int Products { get; init; } = 40;

    /// <summary>Valid new orders per day, besides the deliberately bad ones and the status updates. The default is 300.</summary>
    public int OrdersPerDay { get; init; } = 300;

    /// <summary>The first day. The default is 2026-01-01.</summary>
    public DateOnly StartDate { get; init; } = new(2026, 1, 1);

    /// <summary>The PostgreSQL schema of customers and products (created when missing). The default is public.</summary>
    public string Schema { get; init; } = "public";

    /// <summary>The most orders a day can hold: a day's order ids are its date followed by five digits.</summary>
    public const int MaxOrdersPerDay = 99_000;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Customers, 10, nameof(Customers));
        ArgumentOutOfRangeException.ThrowIfLessThan(Products, 10, nameof(Products));
        ArgumentOutOfRangeException.ThrowIfLessThan(OrdersPerDay, 10, nameof(OrdersPerDay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(OrdersPerDay, MaxOrdersPerDay, nameof(OrdersPerDay));
        ArgumentException.ThrowIfNullOrEmpty(Schema, nameof(Schema));
    }
}
