using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// The full-text index is not part of the EF model: each provider creates its own. The index is filled at
    /// start by <c>ISearchIndex.EnsureBuiltAsync</c>, which needs the analyzer and so cannot run in SQL. The SQL is
    /// written out here rather than taken from the index's code, so this migration stays what it was when it ran.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("""
                    CREATE VIRTUAL TABLE ArticleSearch USING fts5(
                        title, lead, body, source, author, tags, facets,
                        content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
                    INSERT INTO ArticleSearch(ArticleSearch, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0, 2.0, 2.0, 5.0, 0.0)');
                    CREATE TABLE ArticleSearchKeys (ArticleId INTEGER NOT NULL PRIMARY KEY, SearchKey INTEGER NOT NULL);
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql("DROP TABLE IF EXISTS ArticleSearchKeys; DROP TABLE IF EXISTS ArticleSearch;");
            }
        }
    }
}
