namespace AutoNet.Store.Sql;

/// <summary>Reads the text columns that hold an enum; a value AutoNet never writes means the file was changed or damaged.</summary>
internal static class StoredValues
{
    public static T Parse<T>(string text, string column)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"{column} holds '{text}'; expected one of {string.Join(", ", Enum.GetNames<T>())}");
}
