using System.Security.Claims;
using System.Security.Principal;
using AuthKit.Sessions.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>
/// The per-request steps of the session path that allocate nothing: reading the cookie (the ID stays inside the header) and
/// reading who the request speaks for. Each is measured on the calling thread after one warm-up call.
/// </summary>
public sealed class SessionPathAllocationTests
{
    [Fact]
    public async Task Reading_the_session_key_from_a_signed_cookie_costs_no_allocation()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");
        var stored = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        var runtime = app.App.Services.GetRequiredService<SessionRuntime>();
        var options = runtime.Options;
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "theme=dark; " + cookie + "; lang=en";
        Assert.True(ReadKey(context, runtime, options, out var warm));
        Assert.Equal(stored.Key, warm);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = ReadKey(context, runtime, options, out var key);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(read);
        Assert.Equal(stored.Key, key);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Reading_the_user_a_request_speaks_for_costs_no_allocation()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice"), new Claim(ClaimTypes.NameIdentifier, "alice-id")], "test"));
        Assert.Equal("alice-id", Read(user));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var id = Read(user);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("alice-id", id);
        Assert.Equal(0, allocated);

        static string? Read(ClaimsPrincipal user) =>
            PrincipalReader.IsAuthenticated(user) ? PrincipalReader.FindFirst(user, ClaimTypes.NameIdentifier)?.Value : null;
    }

    [Theory]
    [InlineData(ClaimTypes.NameIdentifier)]
    [InlineData("HTTP://SCHEMAS.XMLSOAP.ORG/WS/2005/05/IDENTITY/CLAIMS/NAMEIDENTIFIER")]
    [InlineData("sub")]
    [InlineData("SUB")]
    [InlineData("role")]
    [InlineData("missing")]
    public void The_user_claim_is_found_exactly_as_the_framework_finds_it(string type)
    {
        var anonymous = new ClaimsIdentity([new Claim("role", "guest")]);
        var first = new ClaimsIdentity([new Claim("Sub", "from-first"), new Claim(ClaimTypes.NameIdentifier, "alice")], "test");
        var second = new ClaimsIdentity([new Claim("sub", "from-second"), new Claim("role", "admin")], "other");
        var principal = new ClaimsPrincipal([anonymous, first, second]);

        Assert.Same(principal.FindFirst(type), PrincipalReader.FindFirst(principal, type));
    }

    [Fact]
    public void Derived_principals_and_identities_are_asked_through_their_own_members()
    {
        var generic = new ClaimsPrincipal(new GenericIdentity("alice", "basic"));
        Assert.Same(generic.FindFirst(ClaimTypes.Name), PrincipalReader.FindFirst(generic, ClaimTypes.Name));
        Assert.NotNull(PrincipalReader.FindFirst(generic, ClaimTypes.Name));
        Assert.True(PrincipalReader.IsAuthenticated(generic));

        var custom = new CustomPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "stored")], "test"));
        Assert.Equal("overridden", PrincipalReader.FindFirst(custom, ClaimTypes.NameIdentifier)?.Value);

        Assert.False(PrincipalReader.IsAuthenticated(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.False(PrincipalReader.IsAuthenticated(new ClaimsPrincipal()));
    }

    private static bool ReadKey(HttpContext context, SessionRuntime runtime, SessionAuthenticationOptions options, out SessionKey key)
    {
        key = default;
        return SessionCookieReader.Find(context.Request, options.Cookie.Name!, out var raw) == SessionCookieLookup.Once
            && runtime.TryReadKey(raw, options, out key);
    }

    private sealed class CustomPrincipal(ClaimsIdentity identity) : ClaimsPrincipal(identity)
    {
        public override Claim? FindFirst(string type) => new(type, "overridden");
    }
}
