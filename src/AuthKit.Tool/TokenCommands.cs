using System.CommandLine;

namespace AuthKit.Tool;

/// <summary><c>authkit token inspect</c>: decodes a JWT and, given the app's keys, validates it and names the exact failure.</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var token = new Argument<string>("token")
        {
            Description = "The JWT (compact form, header.payload.signature), or '-' to read it from standard input (keeps it out of the shell history).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var keys = new Option<FileInfo>("--keys")
        {
            Description = "Validate with these keys: the app's configuration file (appsettings.json with AuthKit:Jwt: Keys, Issuer, Audience…; environment variables apply on top, as in the app) or a JWKS document ({\"keys\":[…]}, as served by /.well-known/jwks.json).",
        };
        var issuer = new Option<string>("--issuer")
        {
            Description = "With a JWKS: the issuer to accept (default: the token's own iss, which is then not checked).",
        };
        var audience = new Option<string>("--audience")
        {
            Description = "With a JWKS: the audience to accept (default: the token's own aud, which is then not checked).",
        };
        var inspect = new Command("inspect", "Prints a JWT's header, claims and times (UTC and local). With --keys, validates it as the app would (signature, key, algorithm, type, issuer, audience, times) and names the exact failure; exit code 1 when it is refused.")
        {
            token, keys, issuer, audience,
        };
        inspect.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(token);
            if (text is null or "-")
            {
                if (!Console.IsInputRedirected && text is null)
                {
                    throw ToolException.Usage("give the token: authkit token inspect <token>, or pipe it: authkit token inspect - < token.txt");
                }

                text = (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
            }

            var decoded = DecodedToken.Decode(text);
            if (decoded is null)
            {
                await Console.Error.WriteLineAsync("authkit: this is not a JWT in compact form: three base64url parts separated by dots, the first two JSON objects. Check that the whole token was copied (no quotes, no 'Bearer ' prefix).").ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            await Console.Out.WriteAsync(decoded.Describe(TimeProvider.System.GetUtcNow())).ConfigureAwait(false);
            if (parse.GetValue(keys) is not { } file)
            {
                await Console.Out.WriteLineAsync("Signature: not verified (give --keys appsettings.json or --keys jwks.json to validate).").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var validator = TokenValidator.Create(file, parse.GetValue(issuer), parse.GetValue(audience), decoded);
            var verdict = await validator.ValidateAsync(text, decoded, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(verdict.Message).ConfigureAwait(false);
            return verdict.Valid ? ExitCodes.Success : ExitCodes.Refused;
        });

        return new Command("token", "Inspects JSON Web Tokens.") { inspect };
    }
}
