using System.Data.Common;
using PovertyNews.Web.Data.Postgres;

namespace PovertyNews.Web.Generate;

/// <summary>
/// Writes generated articles into PostgreSQL with binary COPY: the articles of a batch in one COPY, then their tag
/// links in another, in the batch's transaction. The same rows as <see cref="ArticleInserter"/> writes into SQLite
/// (the same <see cref="ArticleRow"/> values, the same ids), plus the two pending-revision columns, which have no
/// default on PostgreSQL.
/// </summary>
/// <remarks>
/// Ids come with the rows (<see cref="ArticleRow.Values"/>[0]): the generator reserves them for the whole run with
/// <see cref="PostgresIdentity.Reserve"/> and gives article n of the run the n-th, so several inserters can write
/// at once on connections of their own.
/// </remarks>
internal sealed class PostgresArticleInserter(DbConnection connection) : IArticleWriter
{
    internal static readonly string[] Columns = [.. ArticleInserter.Columns, "PendingState", "PendingReviewLevel"];

    private readonly List<(int Article, int Tag)> _tags = [];
    private DbTransaction? _transaction;
    private PostgresRowCopy? _articles;

    public void Begin(DbTransaction transaction)
    {
        _transaction = transaction;
        _articles = new PostgresRowCopy(connection, "Articles", Columns);
    }

    public void Insert(ArticleRow article)
    {
        var copy = _articles ?? throw new InvalidOperationException("Begin first");
        var id = (int)article.Values[0];
        copy.StartRow();
        copy.Write(id);
        for (var i = 1; i < article.Values.Length; i++)
        {
            copy.Write(article.Values[i]);
        }
        copy.Write(0); // PendingState: none
        copy.Write(0); // PendingReviewLevel
        foreach (var tag in article.TagIds)
        {
            _tags.Add((id, tag));
        }
    }

    public void End()
    {
        if (_articles is null || _transaction is null)
        {
            return;
        }
        _articles.Complete();
        _articles.Dispose();
        _articles = null;
        if (_tags.Count > 0)
        {
            using var links = new PostgresRowCopy(connection, "ArticleTags", ["ArticlesId", "TagsId"]);
            foreach (var (article, tag) in _tags)
            {
                links.StartRow();
                links.Write(article);
                links.Write(tag);
            }
            links.Complete();
            _tags.Clear();
        }
        _transaction = null;
    }

    public void Abort()
    {
        _articles?.Dispose();
        _articles = null;
        _tags.Clear();
        _transaction = null;
    }

    public void Dispose() => Abort();
}
