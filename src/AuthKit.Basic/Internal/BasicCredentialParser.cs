using System.Text;
using System.Text.Unicode;
using Microsoft.Extensions.Primitives;

namespace AuthKit.Basic.Internal;

internal enum BasicHeaderKind
{
    None,
    Basic,
    Malformed,
}

/// <summary>RFC 7617 parsing: <c>Basic</c> (any case), one or more spaces, strict base64 of <c>user-id ":" password</c>.</summary>
internal static class BasicCredentialParser
{
    private const string Scheme = "Basic";

    /// <summary>Finds the Basic credentials token among the <c>Authorization</c> values.</summary>
    public static BasicHeaderKind FindToken(StringValues values, int maxLength, out string header, out int tokenStart, out string? reason)
    {
        header = string.Empty;
        tokenStart = 0;
        reason = null;
        var found = 0;
        foreach (var value in values)
        {
            if (value is not null && IsBasic(value))
            {
                found++;
                header = value;
            }
        }

        if (found == 0)
        {
            return BasicHeaderKind.None;
        }

        if (found > 1 || values.Count > 1)
        {
            reason = "several Authorization headers";
            return BasicHeaderKind.Malformed;
        }

        if (header.Length > maxLength)
        {
            reason = "the Authorization header is longer than MaxHeaderLength";
            return BasicHeaderKind.Malformed;
        }

        var i = header.Length - header.AsSpan().TrimStart(' ').Length + Scheme.Length;
        var afterScheme = i;
        while (i < header.Length && header[i] == ' ')
        {
            i++;
        }

        if (i == afterScheme || i == header.Length)
        {
            reason = "no credentials after 'Basic'";
            return BasicHeaderKind.Malformed;
        }

        tokenStart = i;
        return BasicHeaderKind.Basic;
    }

    /// <summary>The largest number of bytes <paramref name="tokenLength"/> base64 characters decode to.</summary>
    public static int MaxDecodedLength(int tokenLength) => (tokenLength + 3) / 4 * 3;

    /// <summary>Strict base64 (RFC 4648 §4: standard alphabet, padding required, no whitespace, zero pad bits) into <paramref name="destination"/>.</summary>
    public static bool TryDecodeStrict(ReadOnlySpan<char> token, Span<byte> destination, out int written)
    {
        written = 0;
        if (token.Length == 0 || token.Length % 4 != 0)
        {
            return false;
        }

        var padding = token[^1] == '=' ? (token[^2] == '=' ? 2 : 1) : 0;
        var data = token[..^padding];
        foreach (var c in data)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
            {
                return false;
            }
        }

        if (padding > 0)
        {
            // The bits after the last encoded byte must be zero, or two tokens would decode to the same credentials.
            var last = SextetOf(data[^1]);
            if ((padding == 2 && (last & 0x0F) != 0) || (padding == 1 && (last & 0x03) != 0))
            {
                return false;
            }
        }

        return Convert.TryFromBase64Chars(token, destination, out written);
    }

    /// <summary>Splits decoded credentials on the first colon and decodes both halves.</summary>
    public static bool TryDecodeCredentials(ReadOnlySpan<byte> decoded, bool allowLatin1, out string userName, out string password, out string? reason)
    {
        userName = password = string.Empty;
        reason = null;
        var colon = decoded.IndexOf((byte)':');
        if (colon < 0)
        {
            reason = "no colon between user-id and password";
            return false;
        }

        // ':' is 0x3A in UTF-8 and ISO-8859-1 alike, and never part of a multi-byte UTF-8 sequence, so splitting bytes is safe.
        Encoding encoding;
        if (Utf8.IsValid(decoded))
        {
            encoding = Encoding.UTF8;
        }
        else if (allowLatin1)
        {
            encoding = Encoding.Latin1;
        }
        else
        {
            reason = "credentials are not valid UTF-8";
            return false;
        }

        userName = encoding.GetString(decoded[..colon]);
        foreach (var c in userName)
        {
            if (char.IsControl(c))
            {
                reason = "control character in the user-id";
                userName = string.Empty;
                return false;
            }
        }

        password = encoding.GetString(decoded[(colon + 1)..]);
        return true;
    }

    private static bool IsBasic(string value)
    {
        var span = value.AsSpan().TrimStart(' ');
        return span.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && (span.Length == Scheme.Length || span[Scheme.Length] == ' ');
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        _ => 63,
    };
}
