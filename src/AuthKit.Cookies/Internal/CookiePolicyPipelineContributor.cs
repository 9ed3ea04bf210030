using Microsoft.AspNetCore.Builder;

namespace AuthKit.Cookies.Internal;

internal sealed class CookiePolicyPipelineContributor : IAuthKitPipelineContributor
{
    public AuthKitPipelineStage Stage => AuthKitPipelineStage.BeforeAuthentication;

    public void Configure(IApplicationBuilder app) => app.UseCookiePolicy();
}
