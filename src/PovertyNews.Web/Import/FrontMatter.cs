using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PovertyNews.Web.Import;

/// <summary>The YAML block at the top of a content file, in the keys documented in the README.</summary>
public sealed class ArticleFrontMatter
{
    public string? Slug { get; set; }
    public string? Title { get; set; }
    public string? Subtitle { get; set; }
    public string? Summary { get; set; }
    public string? Channel { get; set; }
    public List<string>? Tags { get; set; }
    public string? Source { get; set; }
    public string? ReprintedFrom { get; set; }
    public string? Author { get; set; }
    public string? Editor { get; set; }
    public string? Hotline { get; set; }
    public string? Wechat { get; set; }
    public string? Cover { get; set; }
    public string? CoverAlt { get; set; }
    public string? Kind { get; set; }
    public string? VideoUrl { get; set; }
    public string? Poster { get; set; }
    /// <summary>A video file in the content folder (relative path), put into the media library; sets the video URL.</summary>
    public string? VideoFile { get; set; }
    /// <summary>Its poster image in the content folder, put into the library as the video's poster; sets the poster URL.</summary>
    public string? PosterFile { get; set; }
    public string? Published { get; set; }
    public string? Status { get; set; }
    public bool Headline { get; set; }
    public int HeadlineOrder { get; set; }
    public bool Pinned { get; set; }
    public int PinOrder { get; set; }
}

public sealed class FrontMatterException(string message) : Exception(message);

public static class FrontMatter
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Splits a content file into its front matter and Markdown body.</summary>
    public static (T Meta, string Body) Parse<T>(string text) where T : new()
    {
        text = text.Replace("\r\n", "\n").TrimStart('\uFEFF');
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new FrontMatterException("the file does not start with a '---' front matter line");
        }
        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new FrontMatterException("the front matter has no closing '---' line");
        }
        var yaml = text[4..(end + 1)];
        var bodyStart = text.IndexOf('\n', end + 1);
        var body = bodyStart < 0 ? "" : text[(bodyStart + 1)..];
        return (Deserialize<T>(yaml, lineOffset: 1) ?? new T(), body.Trim('\n'));
    }

    public static T? Deserialize<T>(string yaml, int lineOffset = 0)
    {
        try
        {
            return Yaml.Deserialize<T>(yaml);
        }
        catch (YamlException e)
        {
            // YamlDotNet wraps the real cause (unknown key, bad value) in InnerException; its own message is generic.
            var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
            throw new FrontMatterException($"YAML error at line {e.Start.Line + lineOffset}: {reason}");
        }
    }
}
