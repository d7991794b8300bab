namespace Alquimia.Warehouse;

/// <summary>Another run holds the warehouse: only one run at a time may write it. Names the holder.</summary>
public sealed class WarehouseBusyException : AlquimiaException
{
    public WarehouseBusyException(string message, Exception? innerException = null) : base(message, innerException) { }
}
