using StackExchange.Redis;

namespace AuthKit.Sessions.Redis.Internal;

/// <summary>
/// The store's key names. A record is <c>{prefix}s:{tag}digest</c> and the index of a user <c>{prefix}u:{tag}userId</c>,
/// where <c>{tag}</c> is a Redis Cluster hash tag: the record's <see cref="SessionKey.SlotTag"/>, and for the index the
/// user's (<see cref="SessionStoreKeys.SlotTag"/>). An ID issued for a user carries the user's tag, so the user's records
/// and index share one hash slot and one script can change them together.
/// </summary>
/// <remarks>An index member is the record key without its prefix (<c>{tag}digest</c>), so a member names its record exactly.</remarks>
internal sealed class RedisKeyLayout(string prefix)
{
    private const int TagLength = 1 + SessionKey.SlotTagLength + 1;
    private const int MemberLength = TagLength + SessionKey.Length * 2;

    public string RecordPrefix { get; } = prefix + "s:";

    public string IndexPrefix { get; } = prefix + "u:";

    /// <summary>A <c>SCAN MATCH</c> pattern for every user index under the prefix.</summary>
    public string IndexPattern => EscapeGlob(IndexPrefix) + "*";

    public static string Member(SessionKey key) => "{" + key.SlotTag + "}" + key.DigestHex();

    public RedisKey RecordKey(SessionKey key) => RecordPrefix + Member(key);

    public RedisKey RecordKeyOfMember(string member) => RecordPrefix + member;

    public RedisKey IndexKey(string userId) => IndexPrefix + "{" + SessionStoreKeys.SlotTag(userId) + "}" + userId;

    /// <summary>The slot tag of an index member or of a user (four hexadecimal characters).</summary>
    public static ReadOnlySpan<char> TagOfMember(string member) => member.AsSpan(1, SessionKey.SlotTagLength);

    /// <summary>Reads the key a member stands for, slot tag included.</summary>
    public static bool TryParseMember(string? member, out SessionKey key)
    {
        key = default;
        if (member is null || member.Length != MemberLength || member[0] != '{' || member[TagLength - 1] != '}')
        {
            return false;
        }

        var tag = member.Substring(1, SessionKey.SlotTagLength);
        if (!SessionKey.TryParse(member[TagLength..], out var digest) || !SessionKey.TryParseTag(tag, out _))
        {
            return false;
        }

        key = digest.WithSlotTag(tag);
        return true;
    }

    /// <summary>The user of an index key found by <c>SCAN</c>, or <see langword="null"/> for a key that is not an index.</summary>
    public string? UserOfIndexKey(string indexKey)
    {
        if (!indexKey.StartsWith(IndexPrefix, StringComparison.Ordinal) || indexKey.Length < IndexPrefix.Length + TagLength
            || indexKey[IndexPrefix.Length] != '{' || indexKey[IndexPrefix.Length + TagLength - 1] != '}')
        {
            return null;
        }

        return indexKey[(IndexPrefix.Length + TagLength)..];
    }

    private static string EscapeGlob(string text)
    {
        if (text.AsSpan().IndexOfAny("*?[]\\") < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
