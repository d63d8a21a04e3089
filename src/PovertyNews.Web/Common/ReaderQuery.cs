using System.Globalization;

namespace PovertyNews.Web.Common;

/// <summary>
/// The one reading of a reader page's query string. The output cache computes its key with these methods and the
/// pages read their values with them too, so a cached answer is always the page its key names: a value the key reads
/// as page 1 (<c>?page=%2B2</c>, <c>?page=%202</c>) is page 1 on the page as well.
/// </summary>
/// <remarks>
/// Reader pages do not use model binding for the query: the binder reads <c>+2</c> and <c> 2</c> as 2, and a
/// complex parameter takes <c>form.q</c> before <c>q</c>, neither of which a cache key built from names would see.
/// </remarks>
public static class ReaderQuery
{
    public const string PageKey = "page";

    /// <summary>The first value of <paramref name="key"/>, or null when it is missing or empty.</summary>
    public static string? Value(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.FirstOrDefault() is { Length: > 0 } value ? value : null;

    /// <summary>The listing page a query asks for: plain ASCII digits only; anything else (signs, spaces, 0) is page 1.</summary>
    public static int Page(IQueryCollection query) => ParsePage(Value(query, PageKey));

    public static int ParsePage(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1;

    /// <summary>The article page's note after a comment was posted (?comment=pending or ok).</summary>
    public const string CommentKey = "comment";

    /// <summary>"pending", "ok" or null: only these two notes exist, so other values make no cache entries.</summary>
    public static string? CommentNote(IQueryCollection query) => Value(query, CommentKey) is ("pending" or "ok") and var note ? note : null;

    /// <summary>The value the cache key holds for <paramref name="key"/>; null leaves it out of the key.</summary>
    public static string? KeyValue(IQueryCollection query, string key) =>
        key == PageKey ? Page(query).ToString(CultureInfo.InvariantCulture)
        : key == CommentKey ? CommentNote(query)
        : Value(query, key);
}
