using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthKit.IntegrationTests;
using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>The sample served over HTTPS (a throw-away self-signed certificate): the session cookie gets its strict production form.</summary>
public sealed class HttpsBrowserTests(HttpsWebAppBrowserFixture fixture) : IClassFixture<HttpsWebAppBrowserFixture>
{
    [Fact]
    public async Task Over_HTTPS_the_session_cookie_is_Host_prefixed_Secure_HttpOnly_and_SameSite_Lax()
    {
        SampleBrowserTests.RequireChromium();
        await using var context = await fixture.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Url.ToString(), IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await BrowserSteps.OpenAsync(page, fixture, "/login", "#login-form");
        await BrowserSteps.SignInAsync(page, fixture, "alice");
        Assert.Equal("alice", await page.TextContentAsync("#account-user"));

        var session = Assert.Single(await context.CookiesAsync(), c => c.Name.EndsWith("authkit", StringComparison.Ordinal));
        Assert.Equal("__Host-authkit", session.Name);
        Assert.True(session.Secure);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.Equal("/", session.Path);
        Assert.DoesNotContain("authkit", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "https-account");
    }
}

/// <summary>One WebApp process on <c>https://127.0.0.1:&lt;port&gt;</c> with a certificate made for the test.</summary>
public sealed class HttpsWebAppBrowserFixture : BrowserFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"authkit-https-{Guid.NewGuid():N}");
    private WebAppProcess? _app;

    public Uri Url => _app?.Url ?? throw new InvalidOperationException("The sample did not start.");

    public override string SampleOutput => _app?.Output ?? "(not started)";

    protected override async Task StartSampleAsync()
    {
        Directory.CreateDirectory(_folder);
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var pfx = Path.Combine(_folder, "loopback.pfx");
        await File.WriteAllBytesAsync(pfx, CreateLoopbackCertificate(password));
        _app = await WebAppProcess.StartAsync(
            "memory",
            dataDirectory: Path.Combine(_folder, "data"),
            instanceName: "tls",
            url: "https://127.0.0.1:0",
            $"--Kestrel:Certificates:Default:Path={pfx}",
            $"--Kestrel:Certificates:Default:Password={password}");
    }

    protected override async ValueTask StopSampleAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        ClusterProcess.TryDelete(_folder);
    }

    private static byte[] CreateLoopbackCertificate(string password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return certificate.Export(X509ContentType.Pfx, password);
    }
}
