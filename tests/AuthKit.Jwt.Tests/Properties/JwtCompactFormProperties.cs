using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using AuthKit.Jwt.Internal;
using AuthKit.Properties;
using CsCheck;
using static AuthKit.Jwt.Tests.JwtTestKeys;

namespace AuthKit.Jwt.Tests.Properties;

/// <summary>
/// The JWT compact form: tokens written by <c>JwtTokenWriter</c> (through <c>JwtTokenService.IssueAsync</c>) and read by
/// <c>JwtTokenReader</c> (directly, so an exception is seen rather than logged and mapped to <c>Malformed</c> by the service).
/// </summary>
public sealed class JwtCompactFormProperties
{
    private static readonly JwtSigningKey Hs256 = For(JwtAlgorithms.HS256);

    private static readonly Gen<string> Text = Gen.Frequency(
        (4, (IGen<string>)Gen.String[Gen.Char.AlphaNumeric, 1, 20]),
        (1, Gen.String[Gen.Char['\u0000', '\uD7FF'], 1, 20]),
        (1, Gen.String[Gen.Char["\"\\/<>&'{}[]:,\u2028\u2029"], 1, 8]));

    private static readonly Gen<Claim> Claims = Gen.Frequency(
        (3, (IGen<Claim>)Gen.Select(Gen.OneOf(Gen.OneOf(ClaimTypes.Name, ClaimTypes.Email, ClaimTypes.Role, "client_id", "tenant"), Text), Text,
            (type, value) => new Claim(type, value))),
        (1, Gen.Long.Select(l => new Claim("level", l.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64))),
        (1, Gen.Bool.Select(b => new Claim("beta", b ? "true" : "false", ClaimValueTypes.Boolean))));

    private static readonly Gen<ClaimsPrincipal> Principals = Gen.Select(Text, Claims.Array[0, 8], (subject, claims) => User(subject, claims));

    [Fact]
    public void Every_issued_token_reads_back_with_its_claims()
    {
        var service = Service();
        var reader = Reader();
        PropertyRun.Check(Principals, principal =>
        {
            var issued = service.IssueAsync(principal).AsTask().GetAwaiter().GetResult();
            Assert.Equal(TokenValidationError.None, reader.Read(issued.AccessToken, Start, out var read, out var tokenId, out var expiresAt));
            Assert.Equal(issued.TokenId, tokenId);
            Assert.Equal(issued.AccessTokenExpiresAt, expiresAt);
            Assert.Equal(principal.FindFirst(ClaimTypes.NameIdentifier)!.Value, read!.FindFirst(JwtClaimNames.Sub)!.Value);
            Assert.Equal(Values(principal, ClaimTypes.Role), Values(read, JwtClaimNames.Role));
            Assert.Equal(Values(principal, ClaimTypes.Name), Values(read, JwtClaimNames.Name));
            Assert.Equal(Values(principal, "tenant"), Values(read, "tenant"));
            Assert.Equal(Values(principal, "level"), Values(read, "level"));
            Assert.Equal(Values(principal, "beta"), Values(read, "beta"));
        });
    }

    /// <summary>Any UTF-16 text in a claim, lone surrogates included (they are replaced, as every UTF-8 writer does), issues a token that reads back.</summary>
    [Fact]
    public void Any_claim_text_issues_a_token_that_reads_back()
    {
        var service = Service();
        var reader = Reader();
        PropertyRun.Check(Gen.Select(Gen.String[1, 20], Gen.String[0, 20]), (subject, name) =>
        {
            var issued = service.IssueAsync(User(subject, new Claim(ClaimTypes.Name, name))).AsTask().GetAwaiter().GetResult();
            Assert.Equal(TokenValidationError.None, reader.Read(issued.AccessToken, Start, out _, out _, out _));
        });
    }

    [Fact]
    public void Issued_tokens_of_every_algorithm_read_back()
    {
        var algorithms = AllAlgorithms.ToArray();
        var services = algorithms.Select(a => Service(keys: For(a))).ToArray();
        var readers = algorithms.Select(a => Reader(For(a))).ToArray();
        PropertyRun.Check(Gen.Select(Gen.Int[0, algorithms.Length - 1], Principals, Mutation.Any), (i, principal, mutation) =>
        {
            var token = services[i].IssueAsync(principal).AsTask().GetAwaiter().GetResult().AccessToken;
            Assert.Equal(TokenValidationError.None, readers[i].Read(token, Start, out _, out _, out _));
            var mutated = mutation.Apply(token);
            if (mutated != token)
            {
                Assert.NotEqual(TokenValidationError.None, readers[i].Read(mutated, Start, out _, out _, out _));
            }
        }, ciIterations: 1_000);
    }

    [Fact]
    public void Every_mutation_of_an_issued_token_is_refused()
    {
        var service = Service();
        var reader = Reader();
        PropertyRun.Check(Gen.Select(Principals, Mutation.Any), (principal, mutation) =>
        {
            var token = service.IssueAsync(principal).AsTask().GetAwaiter().GetResult().AccessToken;
            var mutated = mutation.Apply(token);
            if (mutated == token)
            {
                return;
            }

            var error = reader.Read(mutated, Start, out var read, out _, out _);
            Assert.NotEqual(TokenValidationError.None, error);
            Assert.Null(read);
        });
    }

    /// <summary>
    /// Header and payload JSON edited and then signed with the right key (what a holder of the key, or a bug in an issuer, produces):
    /// the reader answers with a documented error or a principal, and never throws.
    /// </summary>
    [Fact]
    public void Signed_mutations_of_header_and_payload_never_throw()
    {
        var reader = Reader();
        var gen = Gen.Select(Gen.Bool, Mutation.Any, Mutation.Any, Gen.String[Gen.Char["\"{}[],:0123456789.eE-+ \\u"], 0, 4]);
        PropertyRun.Check(gen, (inHeader, m1, m2, noise) =>
        {
            var header = Header(Hs256);
            var payload = Payload(""","name":"Alice","role":["a","b"],"n":1.5,"obj":{"x":[1,{"y":null}]}""");
            var edited = m2.Apply(m1.Apply(inHeader ? header : payload)).Insert(0, noise.Length > 0 && m1.Position > 0.9 ? noise : string.Empty);
            var token = inHeader ? SignBytes(Hs256, edited, payload) : SignBytes(Hs256, header, edited);
            var error = reader.Read(token, Start, out var principal, out _, out _);
            Assert.True(Enum.IsDefined(error));
            Assert.Equal(error == TokenValidationError.None, principal is not null);
        });
    }

    [Fact]
    public void Random_text_never_throws_and_is_never_accepted()
    {
        var reader = Reader();
        var segment = Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"], 0, 60];
        var gen = Gen.Frequency(
            (1, (IGen<string>)Gen.String[0, 200]),
            (2, Gen.Select(segment, segment, segment, (h, p, s) => h + "." + p + "." + s)),
            (1, Gen.Byte.Array[0, 120].Select(b => B64(Header(Hs256)) + "." + Base64Url.EncodeToString(b) + "." + Base64Url.EncodeToString(b[..Math.Min(32, b.Length)]))));
        PropertyRun.Check(gen, text =>
        {
            var error = reader.Read(text, Start, out var principal, out _, out _);
            Assert.NotEqual(TokenValidationError.None, error);
            Assert.True(Enum.IsDefined(error));
            Assert.Null(principal);
        });
    }

    private static JwtTokenReader Reader(JwtSigningKey? key = null)
    {
        var options = Options(key ?? Hs256);
        var errors = new List<string>();
        var keys = JwtKeySet.Build(options, "AuthKit:Jwt", errors);
        Assert.Empty(errors);
        return new JwtTokenReader(options, keys, JwtAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>A compact JWS over any text (not necessarily valid UTF-16 JSON) as header and payload.</summary>
    private static string SignBytes(JwtSigningKey key, string header, string payload)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = new byte[1024];
        var n = key.Sign(Encoding.ASCII.GetBytes(input), signature);
        return input + "." + Base64Url.EncodeToString(signature.AsSpan(0, n));
    }

    private static string[] Values(ClaimsPrincipal principal, string type) => [.. principal.FindAll(type).Select(c => c.Value)];
}
