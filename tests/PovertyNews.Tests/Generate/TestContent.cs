namespace PovertyNews.Tests.Generate;

/// <summary>The repository's sample content, which the generator learns from.</summary>
internal static class TestContent
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "content");

    /// <summary>How many sample articles content/ holds (published and drafts), so counts follow the content.</summary>
    public static int ArticleCount { get; } = Directory.GetFiles(Path.Combine(Folder, "articles"), "*.md").Length;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>Share of Han characters among the letters (punctuation and numbers aside): 1 for all-Chinese text.</summary>
    public static double HanShare(string text)
    {
        int han = 0, other = 0;
        foreach (var c in text)
        {
            if (c is >= '\u4E00' and <= '\u9FFF')
            {
                han++;
            }
            else if (char.IsLetter(c))
            {
                other++;
            }
        }
        return han + other == 0 ? 0 : (double)han / (han + other);
    }
}
