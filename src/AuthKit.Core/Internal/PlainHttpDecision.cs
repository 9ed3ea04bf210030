namespace AuthKit.Internal;

/// <summary>What <see cref="AuthKitTransportSecurity"/> decided for a request.</summary>
internal enum PlainHttpDecision
{
    /// <summary>The request came over HTTPS: nothing to relax.</summary>
    Https = 0,

    /// <summary>Plain HTTP from a loopback client in the <c>Development</c> environment: relaxed (local development).</summary>
    AllowedForDevelopment = 1,

    /// <summary>Plain HTTP relaxed because <c>AuthKit:AllowInsecureHttp</c> is on.</summary>
    AllowedByInsecureSetting = 2,

    /// <summary>Plain HTTP, not relaxed: cookies stay <c>Secure</c> and <c>__Host-</c>, Basic credentials are refused.</summary>
    Refused = 3,
}
