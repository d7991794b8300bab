namespace Alquimia;

/// <summary>
/// The root of the errors Alquimia reports to its users: each kind carries what the user needs to act on it
/// (the file, the table, the fix). Misuse of an API throws the ordinary CLR exceptions instead.
/// </summary>
public class AlquimiaException : Exception
{
    public AlquimiaException(string message) : base(message) { }

    public AlquimiaException(string message, Exception? innerException) : base(message, innerException) { }
}
