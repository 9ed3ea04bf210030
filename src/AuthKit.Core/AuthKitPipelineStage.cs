namespace AuthKit;

/// <summary>Where in <c>UseAuthKit()</c> an <see cref="IAuthKitPipelineContributor"/> adds its middleware.</summary>
internal enum AuthKitPipelineStage
{
    /// <summary>Before authentication (cookie policy).</summary>
    BeforeAuthentication = 0,

    /// <summary>After authentication, before authorization (session loading).</summary>
    AfterAuthentication = 1,

    /// <summary>After authorization.</summary>
    AfterAuthorization = 2,
}
