namespace Cossistant.Client.Visitors;

/// <summary>Visitor ids are ULIDs: 26 characters of Crockford base32, upper case (the API is case-sensitive).</summary>
internal static class VisitorIds
{
    public static bool IsValid(string? id)
    {
        if (id is not { Length: 26 } || id[0] > '7')
        {
            return false;
        }

        foreach (var c in id)
        {
            var ok = c is (>= '0' and <= '9') or (>= 'A' and <= 'H') or 'J' or 'K' or 'M' or 'N' or (>= 'P' and <= 'T') or (>= 'V' and <= 'Z');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws the SDK's one message for an id that is not a ULID.</summary>
    public static void ThrowIfInvalid(string? id, string parameterName)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException(
                "The visitor id must be a ULID as the API issues it: 26 characters of upper-case Crockford base32.", parameterName);
        }
    }
}
