using AuthKit.IntegrationTests;
using Microsoft.Playwright;

namespace AuthKit.BrowserTests;

/// <summary>Saves screenshots as test artifacts (TestResults/screenshots beside the test assembly).</summary>
internal static class Screenshots
{
    /// <summary>Set to 1 to also refresh the README's screenshots under docs/images.</summary>
    public const string UpdateDocsVariable = "AUTHKIT_UPDATE_DOCS_IMAGES";

    public static async Task SaveAsync(IPage page, string name, string? copyToDocsAs = null)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (copyToDocsAs is not null && Environment.GetEnvironmentVariable(UpdateDocsVariable) == "1")
        {
            var docs = Path.Combine(Path.GetDirectoryName(SamplePaths.SourceFolder)!, "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, copyToDocsAs), overwrite: true);
        }
    }
}
