using System.Text;
using System.Text.RegularExpressions;
using PovertyNews.Web.Import;

namespace PovertyNews.Web.Generate;

/// <summary>A cover picture of a sample article with the description written for it.</summary>
public sealed record SampleImage(string Url, string Alt);

/// <summary>
/// The sentences of the sample articles (content/articles/*.md), cleaned of Markdown, plus their pictures:
/// what <see cref="MarkovText"/> learns from and what generated articles borrow.
/// </summary>
public sealed partial class SampleText
{
    /// <summary>
    /// People named in the sample articles. Sentences naming them are left out of training, so the generator never
    /// puts invented words or deeds in a real person's mouth; the generic reporting around them stays.
    /// </summary>
    internal static readonly string[] NamedPeople = ["习近平", "孙立成", "叶红专", "龙晓华", "蒋晓光", "王宏志", "郑德雁"];

    public List<string> Sentences { get; } = [];
    public List<SampleImage> Covers { get; } = [];
    public List<string> VideoPosters { get; } = [];

    /// <summary>
    /// Reads every published article under <paramref name="folder"/>/articles in ordinal file order (so the result,
    /// and everything trained on it, is the same on every machine). Drafts are skipped: they are notes, not news.
    /// Files the importer would reject are skipped too.
    /// </summary>
    public static SampleText Load(string folder)
    {
        var sample = new SampleText();
        var articles = Path.Combine(folder, "articles");
        if (!Directory.Exists(articles))
        {
            return sample;
        }
        var files = Directory.EnumerateFiles(articles, "*.md", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ArticleFrontMatter meta;
            string body;
            try
            {
                (meta, body) = FrontMatter.Parse<ArticleFrontMatter>(File.ReadAllText(file, Encoding.UTF8));
            }
            catch (FrontMatterException)
            {
                continue;
            }
            if (string.Equals(meta.Status?.Trim(), "draft", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            sample.Add(meta, body);
        }
        return sample;
    }

    /// <summary>Adds one article's title, summary and body (Markdown) to the training sentences.</summary>
    public void Add(ArticleFrontMatter meta, string body)
    {
        // Title parts ("十八洞村培育六大支柱产业 全村人均年收入达14668元") read like short sentences; they give titles
        // and paragraph openings more ways to begin.
        foreach (var part in (meta.Title ?? "").Split([' ', '　', '｜', '|', '：'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length >= 4)
            {
                AddSentences(part + "。");
            }
        }
        AddSentences(meta.Summary ?? "");
        foreach (var raw in body.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('|') || line.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            line = ListMarker().Replace(line.TrimStart('#', '>', ' '), "");
            line = Link().Replace(line, "$1").Replace("**", "").Replace("`", "");
            // A list item, a heading or a line introducing a list becomes a sentence of its own.
            if (line.Length > 0 && !MarkovText.IsSentenceEnd(line[^1]))
            {
                line = (line[^1] is '；' or '：' or '，' or '、' ? line[..^1] : line) + "。";
            }
            AddSentences(line);
        }

        if (meta.Cover is { Length: > 0 } cover && meta.CoverAlt is { Length: > 0 } alt)
        {
            Covers.Add(new SampleImage(cover.Trim(), alt.Trim()));
        }
        if (meta.Poster is { Length: > 0 } poster)
        {
            VideoPosters.Add(poster.Trim());
        }
    }

    private void AddSentences(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (MarkovText.IsSentenceEnd(text[i]))
            {
                AddSentence(text[start..(i + 1)].Trim());
                start = i + 1;
            }
        }
    }

    private void AddSentence(string sentence)
    {
        // Brackets and quotation marks come in pairs, which a chain with two characters of memory cannot keep;
        // the samples have almost none, so leaving those sentences out costs nothing.
        // Sentences introducing a video ("本期视频专题介绍……") would read oddly in ordinary reports.
        if (sentence.Length < 4 || sentence.AsSpan().IndexOfAny("()（）“”‘’\"'《》[]【】<>") >= 0
            || sentence.Contains("视频", StringComparison.Ordinal)
            || NamedPeople.Any(name => sentence.Contains(name, StringComparison.Ordinal)))
        {
            return;
        }
        Sentences.Add(sentence);
    }

    [GeneratedRegex(@"^(?:[-*+]|\d+[.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Link();
}
