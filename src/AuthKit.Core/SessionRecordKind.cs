namespace AuthKit;

/// <summary>What a <see cref="SessionRecord"/> stands for.</summary>
public enum SessionRecordKind : byte
{
    /// <summary>A browser (or API client) session.</summary>
    Session = 0,

    /// <summary>A refresh token of a token family.</summary>
    RefreshToken = 1,

    /// <summary>A revoked access-token identifier (<c>jti</c>) kept until the token would have expired.</summary>
    RevokedToken = 2,
}
