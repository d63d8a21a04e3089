using System.Diagnostics;
using System.Globalization;
using System.Text;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Text;

namespace PovertyNews.Benchmarks;

/// <summary>
/// Times the sensitive-word matcher: compiling a list of random Chinese words, matching it against a long article
/// (the folded text alone, and the whole check of a Markdown body: Markdig parse, projection, match), and masking.
/// In-process, single-threaded, no database.
/// </summary>
public static class WordsBenchmark
{
    public sealed record Options(int Words, int Length, int Runs, int Seed)
    {
        public static Options Parse(string[] args)
        {
            var options = new Options(10_000, 20_000, 500, 1);
            for (var i = 0; i < args.Length; i++)
            {
                int Next() => i + 1 < args.Length ? int.Parse(args[++i], CultureInfo.InvariantCulture) : throw new ArgumentException($"{args[i]} needs a value");
                options = args[i] switch
                {
                    "--words" => options with { Words = Next() },
                    "--length" => options with { Length = Next() },
                    "--runs" => options with { Runs = Next() },
                    "--seed" => options with { Seed = Next() },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            return options;
        }
    }

    public static int Run(Options options)
    {
        var random = new FastRandom(options.Seed, 0);
        var sample = SampleText.Load(Path.Combine(RepositoryRoot(), "content"));
        var model = MarkovText.Train(sample.Sentences, order: 3);
        var (plain, markdownBody) = Article(model, random, options.Length);
        var words = Words(sample, random, options.Words);
        Console.WriteLine($"{words.Count:N0} words of 2–4 characters (characters drawn by their frequency in content/), "
            + $"article of {plain.Length:N0} characters (Markdown: {markdownBody.Length:N0}), {options.Runs} runs, seed {options.Seed}");

        // Compiling: what the first check after a list change pays.
        var buildTimes = new List<double>();
        SensitiveWordList list = null!;
        for (var i = 0; i < 3 + Math.Max(5, options.Runs / 20); i++)
        {
            var watch = Stopwatch.StartNew();
            list = new SensitiveWordList(words);
            if (i >= 3)
            {
                buildTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var projection = TextProjection.OfPlainText(plain);
        var hits = list.Find(projection).Count;
        var match = Time(options.Runs, () => list.Find(projection).Count);
        var fold = Time(options.Runs, () => TextProjection.OfPlainText(plain).Text.Length);

        var renderer = new MarkdownRenderer();
        var markdownHits = 0;
        var check = Time(Math.Max(20, options.Runs / 5), () =>
        {
            var p = TextProjection.OfMarkdown(markdownBody, renderer.ParseWithSourcePositions(markdownBody));
            return markdownHits = list.Find(p).Count;
        });
        var parse = Time(Math.Max(20, options.Runs / 5), () => renderer.ParseWithSourcePositions(markdownBody).Count);
        var replaceList = new SensitiveWordList(words.Select(w => w with { Action = SensitiveWordAction.Replace }));
        var mask = Time(Math.Max(20, options.Runs / 5), () =>
        {
            var p = TextProjection.OfMarkdown(markdownBody, renderer.ParseWithSourcePositions(markdownBody));
            return p.Mask(replaceList.Find(p).Select(m => (m.Start, m.End)), SensitiveWord.Mask).Length;
        });

        Console.WriteLine();
        Console.WriteLine("| Step | median ms | p95 ms | min ms | runs |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Row($"Compile the list ({list.Count:N0} words)", buildTimes);
        Row($"Match the folded text ({hits:N0} hits)", match);
        Row("Fold and project the plain text", fold);
        Row($"Whole check of the Markdown body: parse, project, match ({markdownHits:N0} hits)", check);
        Row("… of which the Markdig parse (precise source positions, on its guarded thread)", parse);
        Row("Whole replace of the Markdown body: parse, project, match, mask", mask);
        return 0;
    }

    private static void Row(string name, List<double> times)
    {
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Percentile(times, 0.5):0.000} | {Percentile(times, 0.95):0.000} | {times[0]:0.000} | {times.Count} |"));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>Warms up, then times <paramref name="work"/> once per run (its result is kept so nothing is optimised away).</summary>
    private static List<double> Time(int runs, Func<int> work)
    {
        var sink = 0;
        for (var i = 0; i < Math.Min(20, runs); i++)
        {
            sink += work();
        }
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += work();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        GC.KeepAlive(sink);
        return times;
    }

    /// <summary>Random words whose characters follow the sample content's character frequencies, so some occur in the article.</summary>
    private static List<SensitiveWordEntry> Words(SampleText sample, FastRandom random, int count)
    {
        var characters = string.Concat(sample.Sentences).Where(c => PovertyNews.Web.Text.ChineseText.IsChinese(c)).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<SensitiveWordEntry>(count);
        var chars = new char[4];
        while (words.Count < count)
        {
            var length = random.Next(2, 5);
            for (var i = 0; i < length; i++)
            {
                chars[i] = characters[random.Next(characters.Length)];
            }
            var word = new string(chars, 0, length);
            if (seen.Add(word))
            {
                var action = (SensitiveWordAction)random.Next(3);
                words.Add(new SensitiveWordEntry(words.Count + 1, word, "", action));
            }
        }
        return words;
    }

    /// <summary>
    /// Paragraphs of generated news text, as plain text and as Markdown with some bold, a link per paragraph and a
    /// soft line break now and then, about <paramref name="length"/> characters of text.
    /// </summary>
    private static (string Plain, string Markdown) Article(MarkovText model, FastRandom random, int length)
    {
        var plain = new StringBuilder(length + 1000);
        var markdown = new StringBuilder(length * 2);
        while (plain.Length < length)
        {
            var paragraph = new StringBuilder();
            var target = random.Next(300, 900);
            var guard = 0;
            while (paragraph.Length < target && guard++ < 100)
            {
                model.AppendSentence(random, paragraph, Math.Min(200, length - plain.Length - paragraph.Length + 50));
            }
            if (paragraph.Length == 0)
            {
                break;
            }
            var text = paragraph.ToString();
            if (plain.Length > 0)
            {
                plain.Append("\n\n");
                markdown.Append("\n\n");
            }
            plain.Append(text);
            for (var i = 0; i < text.Length; i++)
            {
                var roll = random.Next(100);
                if (roll < 2 && i + 6 < text.Length)
                {
                    markdown.Append("**").Append(text, i, 4).Append("**");
                    i += 3;
                }
                else if (roll == 2 && i + 8 < text.Length)
                {
                    markdown.Append('[').Append(text, i, 5).Append("](https://example.com/").Append(i).Append(')');
                    i += 4;
                }
                else
                {
                    markdown.Append(text[i]);
                    if (roll == 3 && text[i] == '，')
                    {
                        markdown.Append('\n');
                    }
                }
            }
        }
        return (plain.ToString(), markdown.ToString());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PovertyNews.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PovertyNews.sln not found above the benchmark binaries");
    }
}
