namespace PovertyNews.IntegrationTests.Infrastructure;

/// <summary>The repository's content/ as the first start imports it, so counts follow the content.</summary>
public static class SampleContent
{
    /// <summary>Sample articles in content/articles (published and drafts).</summary>
    public static int ArticleCount { get; } =
        Directory.GetFiles(Path.Combine(NewsFactory.RepositoryRoot, "content", "articles"), "*.md").Length;
}
