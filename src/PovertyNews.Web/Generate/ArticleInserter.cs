using System.Data.Common;
using System.Globalization;
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
/// insert) costs a fifth of the speed. On PostgreSQL the identity sequence would have to be moved past the
/// loaded ids afterwards.
/// </para>
/// <para>
/// Every statement costs several microseconds in the ADO.NET provider whatever it does, so the small tag links
/// are collected and written <see cref="TagRowsPerStatement"/> to a statement. Not more, and articles one per
/// statement: Microsoft.Data.Sqlite looks every parameter up by name in the statement, a cost that grows with
/// the square of the number of parameters (32 links or 8 articles a statement measured slower).
/// </para>
/// <para>
/// The column list must follow the Articles table of the migrations: every NOT NULL column without a default is
/// here (the flags and orders as constants). Nullable columns the generator never fills are left out.
/// </para>
/// </remarks>
internal sealed class ArticleInserter : IDisposable
{
    public const int TagRowsPerStatement = 16;

    private static readonly string[] Columns =
    [
        "Id", "Slug", "Title", "Summary", "BodyMarkdown", "BodyHtml", "ChannelId", "Source", "ReprintedFrom", "Author",
        "ResponsibleEditor", "CoverImageUrl", "CoverImageAlt", "Kind", "VideoUrl", "VideoPosterUrl", "Status",
        "PublishedAt", "CreatedAt", "UpdatedAt", "ViewCount", "ReviewLevel", "WithdrawalReason", "WithdrawnAt", "Version",
    ];

    private static readonly string InsertArticleSql =
        $"""
        INSERT INTO "Articles" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}, "IsHeadline", "HeadlineOrder", "IsPinned", "PinOrder")
        VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))}, FALSE, 0, FALSE, 0)
        """;

    private readonly DbConnection _connection;
    private readonly DbCommand _nextId;
    private readonly Statement _article;
    private readonly Statement _tags;
    private readonly Statement _tag;
    private readonly List<(int Article, int Tag)> _pendingTags = new(TagRowsPerStatement);
    private int _id;

    public ArticleInserter(DbConnection connection)
    {
        _connection = connection;
        _nextId = connection.CreateCommand();
        _nextId.CommandText = SqliteDatabase.NextIdQuery(connection, "Articles");
        _article = new Statement(connection, InsertArticleSql, Columns.Length);
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

    /// <summary>Inserts <paramref name="article"/>; its tag links may wait until <see cref="End"/>.</summary>
    public void Insert(GeneratedArticle article)
    {
        var id = _id++;
        var v = _article.Values;
        v[0].Value = id;
        v[1].Value = article.Slug;
        v[2].Value = article.Title;
        v[3].Value = article.Summary;
        v[4].Value = article.BodyMarkdown;
        v[5].Value = article.BodyHtml;
        v[6].Value = article.ChannelId;
        v[7].Value = (object?)article.Source ?? DBNull.Value;
        v[8].Value = (object?)article.ReprintedFrom ?? DBNull.Value;
        v[9].Value = article.Author;
        v[10].Value = article.ResponsibleEditor;
        v[11].Value = (object?)article.CoverImageUrl ?? DBNull.Value;
        v[12].Value = (object?)article.CoverImageAlt ?? DBNull.Value;
        v[13].Value = (int)article.Kind;
        v[14].Value = (object?)article.VideoUrl ?? DBNull.Value;
        v[15].Value = (object?)article.VideoPosterUrl ?? DBNull.Value;
        v[16].Value = (int)article.Status;
        v[17].Value = (object?)article.PublishedAt ?? DBNull.Value;
        v[18].Value = article.CreatedAt;
        v[19].Value = article.UpdatedAt;
        v[20].Value = article.ViewCount;
        v[21].Value = article.ReviewLevel;
        v[22].Value = (object?)article.WithdrawalReason ?? DBNull.Value;
        v[23].Value = (object?)article.WithdrawnAt ?? DBNull.Value;
        v[24].Value = SqliteDatabase.GuidValue(_connection, article.Version);
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
