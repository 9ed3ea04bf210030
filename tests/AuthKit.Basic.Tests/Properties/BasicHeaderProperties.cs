using System.Text;
using AuthKit.Basic.Internal;
using AuthKit.Properties;
using CsCheck;
using Microsoft.Extensions.Primitives;

namespace AuthKit.Basic.Tests.Properties;

/// <summary>The Basic <c>Authorization</c> header (RFC 7617): <c>BasicCredentialParser</c>, read the way the handler reads it.</summary>
public sealed class BasicHeaderProperties
{
    private const int MaxHeaderLength = 8192;

    private static readonly Gen<string> UserIds = Gen.Frequency(
        (4, (IGen<string>)Gen.String[Gen.Char.AlphaNumeric, 0, 20]),
        (1, Gen.String[Gen.Char['\u0020', '\uD7FF'].Where(c => c != ':' && !char.IsControl(c)), 0, 20]));

    private static readonly Gen<string> Passwords = Gen.Frequency(
        (3, (IGen<string>)Gen.String[Gen.Char.AlphaNumeric, 0, 30]),
        (1, Gen.String[Gen.Char[":= \t+/\u00e9\u20ac"], 0, 10]),
        (1, Gen.String[Gen.Char['\u0000', '\uD7FF'], 0, 30]));

    /// <summary>A header as clients write it: any case of the scheme, one or more spaces, leading and trailing spaces.</summary>
    private static readonly Gen<(string Header, string User, string Password)> Headers = Gen.Select(
        UserIds, Passwords, Gen.OneOf("Basic", "basic", "BASIC", "bAsIc"), Gen.Int[0, 2], Gen.Int[1, 3], Gen.Int[0, 2],
        (user, password, scheme, lead, gap, trail) => (
            new string(' ', lead) + scheme + new string(' ', gap) + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)) + new string(' ', trail),
            user, password));

    [Fact]
    public void Every_encoded_credential_pair_reads_back_exactly()
    {
        PropertyRun.Check(Headers, h =>
        {
            Assert.True(TryRead(h.Header, allowLatin1: false, out var user, out var password, out var reason), reason);
            Assert.Equal(h.User, user);
            Assert.Equal(h.Password, password);
        });
    }

    [Fact]
    public void Latin1_credentials_read_back_when_the_fallback_is_on_and_are_refused_otherwise()
    {
        var latin1 = Gen.String[Gen.Char['\u0020', '\u00FF'].Where(c => c != ':' && !char.IsControl(c)), 0, 20];
        PropertyRun.Check(Gen.Select(latin1, latin1), (user, password) =>
        {
            var bytes = Encoding.Latin1.GetBytes(user + ":" + password);
            var header = "Basic " + Convert.ToBase64String(bytes);
            if (System.Text.Unicode.Utf8.IsValid(bytes))
            {
                return;
            }

            Assert.False(TryRead(header, allowLatin1: false, out _, out _, out _));
            Assert.True(TryRead(header, allowLatin1: true, out var u, out var p, out var reason), reason);
            Assert.Equal(user, u);
            Assert.Equal(password, p);
        });
    }

    /// <summary>Strict base64: what is accepted is exactly what an encoder writes, so two tokens never mean the same credentials.</summary>
    [Fact]
    public void The_decoder_accepts_exactly_the_canonical_base64_of_what_it_decodes()
    {
        var tokens = Gen.Frequency(
            (2, (IGen<string>)Gen.Select(Gen.Byte.Array[1, 40], Mutation.Any, (b, m) => m.Apply(Convert.ToBase64String(b)))),
            (1, Gen.String[Gen.Char["AQgw+/=Zz09 \t\r\n-_"], 1, 16]));
        PropertyRun.Check(tokens, token =>
        {
            var buffer = new byte[BasicCredentialParser.MaxDecodedLength(token.Length) + 1];
            var accepted = BasicCredentialParser.TryDecodeStrict(token, buffer, out var written);
            var canonical = IsCanonical(token);
            Assert.Equal(canonical, accepted);
            if (accepted)
            {
                Assert.Equal(token, Convert.ToBase64String(buffer, 0, written));
            }
        });
    }

    [Fact]
    public void Every_mutation_of_a_header_is_refused_or_reads_as_other_credentials()
    {
        PropertyRun.Check(Gen.Select(Headers, Mutation.Any), (h, mutation) =>
        {
            var mutated = mutation.Apply(h.Header);
            if (!TryRead(mutated, allowLatin1: true, out var user, out var password, out _) || user != h.User || password != h.Password)
            {
                return;
            }

            // Only the scheme's case and the spaces around the token may change without changing the credentials.
            Assert.Equal(Token(h.Header), Token(mutated));
        });
    }

    [Fact]
    public void Arbitrary_header_values_never_throw()
    {
        var values = Gen.Frequency(
            (2, (IGen<string>)Gen.Select(Headers, Mutation.Any, Mutation.Any, (h, m1, m2) => m2.Apply(m1.Apply(h.Header)))),
            (1, Gen.String[0, 60].Select(s => "Basic " + s)),
            (1, Gen.String[0, 60]));
        PropertyRun.Check(Gen.Select(values, Gen.Int[1, 3], Gen.Bool), (value, count, latin1) =>
        {
            var header = count == 1 ? new StringValues(value) : new StringValues(Enumerable.Repeat(value, count).ToArray());
            var kind = BasicCredentialParser.FindToken(header, MaxHeaderLength, out var found, out var start, out var reason);
            Assert.Equal(kind == BasicHeaderKind.Malformed, reason is not null);
            if (kind == BasicHeaderKind.Basic)
            {
                ReadToken(found, start, latin1, out _, out _, out _);
            }
        });
    }

    private static bool TryRead(string header, bool allowLatin1, out string user, out string password, out string? reason)
    {
        user = password = string.Empty;
        var kind = BasicCredentialParser.FindToken(new StringValues(header), MaxHeaderLength, out var found, out var start, out reason);
        return kind == BasicHeaderKind.Basic && ReadToken(found, start, allowLatin1, out user, out password, out reason);
    }

    /// <summary>What the handler does with the token: trailing spaces trimmed, strict base64, split on the first colon.</summary>
    private static bool ReadToken(string header, int start, bool allowLatin1, out string user, out string password, out string? reason)
    {
        user = password = string.Empty;
        reason = "invalid base64";
        var token = header.AsSpan(start).TrimEnd(' ');
        var buffer = new byte[Math.Max(1, BasicCredentialParser.MaxDecodedLength(token.Length))];
        return BasicCredentialParser.TryDecodeStrict(token, buffer, out var written)
            && BasicCredentialParser.TryDecodeCredentials(buffer.AsSpan(0, written), allowLatin1, out user, out password, out reason);
    }

    private static string Token(string header) => header.Trim(' ')[5..].Trim(' ');

    private static bool IsCanonical(string token)
    {
        if (token.Length == 0)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
            {
                return false;
            }
        }

        try
        {
            return Convert.ToBase64String(Convert.FromBase64String(token)) == token;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
