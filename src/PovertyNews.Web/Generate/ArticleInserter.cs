using System.Data.Common;
using System.Globalization;
using System.Text;
using PovertyNews.Web.Data.Sqlite;

namespace PovertyNews.Web.Generate;

/// <summary>
/// Writes generated articles with prepared, parameterised commands reused for every row. Going past EF Core is
/// what makes tens of thousands of rows a second possible: no change tracking, no entity per row, no SQL built per
/// row. Only common ADO.NET calls and SQL that SQLite and PostgreSQL both accept (quoted names, FALSE,
/// multi-row VALUES), so the command can move to another provider with little change.
/// </summary>
/// <remarks>
/// <para>
/// The ids are assigned here, from the first free one read at the start of each transaction
/// (<see cref="SqliteDatabase.NextIdQuery"/>): a SQLite transaction holds the write lock from its start, so
/// nobody else can take them. Asking the database for each new id instead (RETURNING, or a query after each
/// insert) costs a fifth of the speed. PostgreSQL takes the same rows through <see cref="PostgresArticleInserter"/>
/// (binary COPY), which moves the identity sequence past the loaded ids.
/// </para>
/// <para>
/// Every statement costs several microseconds in the ADO.NET provider whatever it does, so the small tag links
/// are collected and written <see cref="TagRowsPerStatement"/> to a statement. Not more, and articles one per
/// statement: Microsoft.Data.Sqlite looks every parameter up by name in the statement, a cost that grows with
/// the square of the number of parameters (32 links or 8 articles a statement measured slower).
/// </para>
/// <para>
/// The writing thread is the bottleneck, so everything that can be done before it is: <see cref="ArticleRows"/>
/// turns an article into its column values (long texts already in UTF-8 where the database takes them so) on
/// the thread that generates it.
/// </para>
/// <para>
/// The column list must follow the Articles table of the migrations: every NOT NULL column without a default is
/// here (the flags and orders as constants). Nullable columns the generator never fills are left out.
/// </para>
/// </remarks>
internal sealed class ArticleInserter : IArticleWriter
{
    public const int TagRowsPerStatement = 16;

    internal static readonly string[] Columns =
    [
        "Id", "Slug", "Title", "Summary", "BodyMarkdown", "BodyHtml", "ChannelId", "Source", "ReprintedFrom", "Author",
        "ResponsibleEditor", "CoverImageUrl", "CoverImageAlt", "Kind", "VideoUrl", "VideoPosterUrl", "Status",
        "PublishedAt", "CreatedAt", "UpdatedAt", "ViewCount", "ReviewLevel", "WithdrawalReason", "WithdrawnAt", "Version",
    ];

    /// <summary>The long texts, which <see cref="ArticleRows"/> may hand over as UTF-8 bytes.</summary>
    internal static readonly HashSet<string> LongTexts = ["Title", "Summary", "BodyMarkdown", "BodyHtml"];

    private readonly DbCommand _nextId;
    private readonly Statement _article;
    private readonly Statement _tags;
    private readonly Statement _tag;
    private readonly List<(int Article, int Tag)> _pendingTags = new(TagRowsPerStatement);
    private int _id;

    public ArticleInserter(DbConnection connection)
    {
        _nextId = connection.CreateCommand();
        _nextId.CommandText = SqliteDatabase.NextIdQuery(connection, "Articles");
        _article = new Statement(connection, InsertArticleSql(connection), Columns.Length);
        _tags = new Statement(connection, TagSql(TagRowsPerStatement), 2 * TagRowsPerStatement);
        _tag = new Statement(connection, TagSql(1), 2);
    }

    /// <summary>Starts a batch of rows in <paramref name="transaction"/>; call before the first insert after each commit.</summary>
    public void Begin(DbTransaction transaction)
    {
        _nextId.Transaction = transaction;
        _article.Command.Transaction = transaction;
        _tags.Command.Transaction = transaction;
        _tag.Command.Transaction = transaction;
        _id = Convert.ToInt32(_nextId.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Inserts an article from its <see cref="ArticleRows.Row"/>; its tag links may wait until <see cref="End"/>.</summary>
    public void Insert(ArticleRow article)
    {
        var id = _id++;
        var v = _article.Values;
        v[0].Value = id;
        for (var i = 1; i < v.Length; i++)
        {
            v[i].Value = article.Values[i];
        }
        _article.Execute();

        foreach (var tag in article.TagIds)
        {
            _pendingTags.Add((id, tag));
            if (_pendingTags.Count == TagRowsPerStatement)
            {
                WriteTags(_tags, 0);
                _pendingTags.Clear();
            }
        }
    }

    /// <summary>Writes the tag links still waiting; call before committing the batch.</summary>
    public void End()
    {
        for (var i = 0; i < _pendingTags.Count; i++)
        {
            WriteTags(_tag, i);
        }
        _pendingTags.Clear();
    }

    /// <summary>Nothing to undo here: the batch's rows go when its transaction rolls back.</summary>
    public void Abort() => _pendingTags.Clear();

    public void Dispose()
    {
        _nextId.Dispose();
        _article.Command.Dispose();
        _tags.Command.Dispose();
        _tag.Command.Dispose();
    }

    private void WriteTags(Statement statement, int start)
    {
        var v = statement.Values;
        for (var r = 0; r < v.Length / 2; r++)
        {
            var (article, tag) = _pendingTags[start + r];
            v[2 * r].Value = article;
            v[2 * r + 1].Value = tag;
        }
        statement.Execute();
    }

    private static string InsertArticleSql(DbConnection connection)
    {
        var values = Columns.Select((column, i) =>
            LongTexts.Contains(column) && SqliteDatabase.Utf8TextSql(connection, $"@p{i}") is { } utf8 ? utf8 : $"@p{i}");
        return $"""
            INSERT INTO "Articles" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))})
            VALUES ({string.Join(", ", values)})
            """;
    }

    private static string TagSql(int rows) =>
        $"""INSERT INTO "ArticleTags" ("ArticlesId", "TagsId") VALUES {string.Join(", ", Enumerable.Range(0, rows).Select(r => $"(@p{2 * r}, @p{2 * r + 1})"))}""";

    /// <summary>A command with parameters @p0, @p1, … prepared when it first runs.</summary>
    private sealed class Statement
    {
        private bool _prepared;

        public Statement(DbConnection connection, string sql, int parameters)
        {
            Command = connection.CreateCommand();
            Command.CommandText = sql;
            Values = new DbParameter[parameters];
            for (var i = 0; i < parameters; i++)
            {
                var parameter = Command.CreateParameter();
                parameter.ParameterName = $"@p{i.ToString(CultureInfo.InvariantCulture)}";
                parameter.Value = DBNull.Value;
                Command.Parameters.Add(parameter);
                Values[i] = parameter;
            }
        }

        public DbCommand Command { get; }

        public DbParameter[] Values { get; }

        public void Execute()
        {
            if (!_prepared)
            {
                // Some providers need the parameters' values (their types) to prepare, so this waits for the first row.
                Command.Prepare();
                _prepared = true;
            }
            Command.ExecuteNonQuery();
        }
    }
}

/// <summary>
/// Writes a batch of generated articles inside a transaction: <see cref="Begin"/> after the transaction starts,
/// <see cref="Insert"/> for each article, <see cref="End"/> before the commit, <see cref="Abort"/> before a rollback.
/// </summary>
internal interface IArticleWriter : IDisposable
{
    void Begin(DbTransaction transaction);

    void Insert(ArticleRow article);

    void End();

    void Abort();
}

/// <summary>An article as the column values of <see cref="ArticleInserter"/>'s INSERT (the id left to it) and its tags.</summary>
internal readonly record struct ArticleRow(object[] Values, int[] TagIds);

/// <summary>Turns generated articles into <see cref="ArticleRow"/>s for a connection; safe to use from any thread.</summary>
internal sealed class ArticleRows(DbConnection connection)
{
    private readonly bool _utf8 = SqliteDatabase.Utf8TextSql(connection, "@p") is not null;

    public ArticleRow Row(GeneratedArticle article) => new(
    [
        null!, // Id: assigned by the inserter
        article.Slug,
        Text(article.Title),
        Text(article.Summary),
        Text(article.BodyMarkdown),
        Text(article.BodyHtml),
        article.ChannelId,
        (object?)article.Source ?? DBNull.Value,
        (object?)article.ReprintedFrom ?? DBNull.Value,
        article.Author,
        article.ResponsibleEditor,
        (object?)article.CoverImageUrl ?? DBNull.Value,
        (object?)article.CoverImageAlt ?? DBNull.Value,
        (int)article.Kind,
        (object?)article.VideoUrl ?? DBNull.Value,
        (object?)article.VideoPosterUrl ?? DBNull.Value,
        (int)article.Status,
        article.PublishedAt is { } published ? SqliteDatabase.DateTimeValue(connection, published) : DBNull.Value,
        SqliteDatabase.DateTimeValue(connection, article.CreatedAt),
        SqliteDatabase.DateTimeValue(connection, article.UpdatedAt),
        article.ViewCount,
        article.ReviewLevel,
        (object?)article.WithdrawalReason ?? DBNull.Value,
        article.WithdrawnAt is { } withdrawn ? SqliteDatabase.DateTimeValue(connection, withdrawn) : DBNull.Value,
        SqliteDatabase.GuidValue(connection, article.Version),
    ], article.TagIds);

    private object Text(string value) => _utf8 ? Encoding.UTF8.GetBytes(value) : value;
}
