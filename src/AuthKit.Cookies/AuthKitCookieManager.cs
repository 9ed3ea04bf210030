using AuthKit.Cookies.Internal;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthKit.Cookies;

/// <summary>
/// An <see cref="ICookieManager"/> over the framework's <see cref="ChunkingCookieManager"/> with a size guard: a value too
/// large for <see cref="MaxChunks"/> chunks, or a single <c>Set-Cookie</c> over <see cref="AuthKitCookieOptions.MaxSetCookieSize"/>
/// bytes, is not sent, and an error is logged (rather than a browser silently dropping it).
/// </summary>
/// <remarks>
/// <c>AddCookiePolicy()</c> registers one as a singleton, configured by <c>AuthKit:Cookies</c>. Usable wherever the framework
/// takes an <see cref="ICookieManager"/>, for example <c>CookieAuthenticationOptions.CookieManager</c>.
/// </remarks>
public sealed class AuthKitCookieManager : ICookieManager
{
    private readonly ChunkingCookieManager _inner = new();
    private readonly IOptions<AuthKitCookieOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates a manager with the default limits that does not log.</summary>
    public AuthKitCookieManager()
        : this(Options.Create(new AuthKitCookieOptions()), NullLogger<AuthKitCookieManager>.Instance)
    {
    }

    /// <summary>Creates a manager that takes <see cref="AuthKitCookieOptions.MaxSetCookieSize"/> from <paramref name="options"/> and logs refused cookies.</summary>
    public AuthKitCookieManager(IOptions<AuthKitCookieOptions> options, ILogger<AuthKitCookieManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
    }

    /// <summary>The size of a chunk, in bytes, including the cookie's attributes; <see langword="null"/> turns chunking off. Default 4050.</summary>
    public int? ChunkSize
    {
        get => _inner.ChunkSize;
        set => _inner.ChunkSize = value;
    }

    /// <summary>The most chunks one value may take (browsers keep a limited number of cookies per site). Default 8.</summary>
    public int MaxChunks { get; set; } = 8;

    /// <inheritdoc />
    public string? GetRequestCookie(HttpContext context, string key) => _inner.GetRequestCookie(context, key);

    /// <inheritdoc />
    /// <remarks>A value that does not fit is not written; an error naming the cookie (never its value) is logged.</remarks>
    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var limit = _options.Value.MaxSetCookieSize;
        if (!Fits(key, value, options, limit, out var size))
        {
            _logger.CookieTooLarge(key, size, limit, MaxChunks);
            return;
        }

        _inner.AppendResponseCookie(context, key, value, options);
    }

    /// <inheritdoc />
    public void DeleteCookie(HttpContext context, string key, CookieOptions options) => _inner.DeleteCookie(context, key, options);

    private bool Fits(string key, string? value, CookieOptions options, int limit, out int size)
    {
        var escaped = string.IsNullOrEmpty(value) ? string.Empty : Uri.EscapeDataString(value);
        var template = options.CreateCookieHeader(key, string.Empty).ToString().Length;
        size = template + escaped.Length;
        if (size <= limit && (ChunkSize is not { } chunk || size <= chunk))
        {
            return true;
        }

        if (ChunkSize is not { } chunkSize)
        {
            return false;
        }

        // Mirrors ChunkingCookieManager: each chunk carries the attributes and a 3-character chunk number.
        var perChunk = chunkSize - template - 3;
        if (perChunk <= 0 || chunkSize > limit)
        {
            return false;
        }

        var chunks = (escaped.Length + perChunk - 1) / perChunk;
        return chunks <= MaxChunks;
    }
}
