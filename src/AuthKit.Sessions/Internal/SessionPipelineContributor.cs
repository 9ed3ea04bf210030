using Microsoft.AspNetCore.Builder;

namespace AuthKit.Sessions.Internal;

internal sealed class SessionPipelineContributor : IAuthKitPipelineContributor
{
    public AuthKitPipelineStage Stage => AuthKitPipelineStage.AfterAuthentication;

    public void Configure(IApplicationBuilder app) => app.UseMiddleware<SessionLoadingMiddleware>();
}
