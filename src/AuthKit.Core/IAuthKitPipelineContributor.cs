using Microsoft.AspNetCore.Builder;

namespace AuthKit;

/// <summary>Lets an AuthKit package add middleware to <c>UseAuthKit()</c> at the right place. Registered with <c>TryAddEnumerable</c>.</summary>
internal interface IAuthKitPipelineContributor
{
    /// <summary>Where the middleware goes.</summary>
    AuthKitPipelineStage Stage { get; }

    /// <summary>Adds the middleware.</summary>
    void Configure(IApplicationBuilder app);
}
