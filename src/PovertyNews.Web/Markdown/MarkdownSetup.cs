namespace PovertyNews.Web.Markdown;

public static class MarkdownSetup
{
    /// <summary>One renderer per process: the Markdig pipeline and the sanitiser are built once and are thread-safe.</summary>
    public static IServiceCollection AddMarkdown(this IServiceCollection services) => services.AddSingleton<MarkdownRenderer>();
}
