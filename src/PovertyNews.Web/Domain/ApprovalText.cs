using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PovertyNews.Web.Domain;

/// <summary>
/// The text readers see of one version of an article, in the fixed form whose SHA-256 the 稿签 (approval record)
/// shows for every level passed. Built from the live <see cref="Article"/> or from an <see cref="ArticleRevision"/>
/// snapshot, so a pass can name the exact text it was given whichever of the two holds it.
/// </summary>
/// <remarks>
/// Canonical form, version 1 (bytes):
/// <code>
/// "povertynews-approval-v1\n" field(title) field(subtitle) field(summary) field(channelId) field(source)
///     field(reprintedFrom) field(author) field(responsibleEditor) field(hotline) field(weChat) field(coverUrl)
///     field(coverAlt) field(videoUrl) field(videoPosterUrl) field(correctionNote) field(tagCount) field(tag)… field(body)
/// field(value) = decimal byte length of UTF-8(value) ":" UTF-8(value) "\n"
/// </code>
/// Every value has "\r\n" and "\r" turned into "\n" first, so a body saved from Windows and the same body saved
/// from a phone hash alike. A missing value is the empty string: readers see nothing for either, and the importer
/// and the editor do not agree on which they store. Tags are sorted by ordinal order, as the revisions keep them.
/// The length prefix keeps the form unambiguous whatever a field contains. Fields are never reordered or removed;
/// a change to the form is a new version string, and old hashes keep their meaning under the old one.
/// </remarks>
public sealed record ApprovalText(
    string Title,
    string? Subtitle,
    string? Summary,
    int ChannelId,
    IReadOnlyList<string> Tags,
    string? Source,
    string? ReprintedFrom,
    string? Author,
    string? ResponsibleEditor,
    string? ContactHotline,
    string? ContactWeChat,
    string? CoverImageUrl,
    string? CoverImageAlt,
    string? VideoUrl,
    string? VideoPosterUrl,
    string? CorrectionNote,
    string BodyMarkdown)
{
    public const string Version = "povertynews-approval-v1";

    /// <summary>The separator <see cref="ArticleRevision"/> joins its tags with.</summary>
    private const char TagSeparator = '、';

    /// <summary>The article's text as it is stored now (its tags must be loaded).</summary>
    public static ApprovalText Of(Article article) => new(
        article.Title, article.Subtitle, article.Summary, article.ChannelId, [.. article.Tags.Select(t => t.Name)],
        article.Source, article.ReprintedFrom, article.Author, article.ResponsibleEditor, article.ContactHotline,
        article.ContactWeChat, article.CoverImageUrl, article.CoverImageAlt, article.VideoUrl, article.VideoPosterUrl,
        article.CorrectionNote, article.BodyMarkdown);

    /// <summary>The text a revision kept. Revisions written before they kept the video fields and the 更正 have none.</summary>
    public static ApprovalText Of(ArticleRevision revision) => new(
        revision.Title, revision.Subtitle, revision.Summary, revision.ChannelId,
        revision.Tags.Split(TagSeparator, StringSplitOptions.RemoveEmptyEntries),
        revision.Source, revision.ReprintedFrom, revision.Author, revision.ResponsibleEditor, revision.ContactHotline,
        revision.ContactWeChat, revision.CoverImageUrl, revision.CoverImageAlt, revision.VideoUrl, revision.VideoPosterUrl,
        revision.CorrectionNote, revision.BodyMarkdown);

    public byte[] Canonical()
    {
        var buffer = new List<byte>(BodyMarkdown.Length * 3 + 512);
        buffer.AddRange(Encoding.UTF8.GetBytes(Version + "\n"));
        Field(buffer, Title);
        Field(buffer, Subtitle);
        Field(buffer, Summary);
        Field(buffer, ChannelId.ToString(CultureInfo.InvariantCulture));
        Field(buffer, Source);
        Field(buffer, ReprintedFrom);
        Field(buffer, Author);
        Field(buffer, ResponsibleEditor);
        Field(buffer, ContactHotline);
        Field(buffer, ContactWeChat);
        Field(buffer, CoverImageUrl);
        Field(buffer, CoverImageAlt);
        Field(buffer, VideoUrl);
        Field(buffer, VideoPosterUrl);
        Field(buffer, CorrectionNote);
        var tags = Tags.Order(StringComparer.Ordinal).ToList();
        Field(buffer, tags.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var tag in tags)
        {
            Field(buffer, tag);
        }
        Field(buffer, BodyMarkdown);
        return [.. buffer];
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="Canonical"/>: 64 characters.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(Canonical()));

    /// <summary>"\r\n" and a lone "\r" become "\n"; nothing else changes (unlike ReplaceLineEndings, which also folds U+2028 and form feeds).</summary>
    public static string NormalizeLineEndings(string value) => value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static void Field(List<byte> buffer, string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(NormalizeLineEndings(value ?? ""));
        buffer.AddRange(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        buffer.AddRange(bytes);
        buffer.Add((byte)'\n');
    }
}

/// <summary>What a pass or a release was given: the SHA-256 of its <see cref="ApprovalText"/> and the revision that held it.</summary>
public sealed record TextStamp(string Sha256, int? RevisionNumber);
