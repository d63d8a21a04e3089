using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Postgres.Migrations
{
    /// <summary>
    /// The PostgreSQL search index (Search/Postgres/PostgresSearchIndex.cs), outside the EF model as SQLite's is: one
    /// row per article with its key and a tsvector of the analyzer's tokens. It is filled at start by
    /// <c>ISearchIndex.EnsureBuiltAsync</c>, which needs the analyzer. The SQL is written out here rather than taken
    /// from the index's code, so this migration stays what it was when it ran.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ArticleSearch" ("ArticleId" integer NOT NULL, "SearchKey" bigint NOT NULL, "Document" tsvector NOT NULL,
                    CONSTRAINT "PK_ArticleSearch" PRIMARY KEY ("ArticleId"))
                    WITH (toast_tuple_target = 128);
                CREATE INDEX "IX_ArticleSearch_SearchKey" ON "ArticleSearch" ("SearchKey");
                CREATE INDEX "IX_ArticleSearch_Document" ON "ArticleSearch" USING gin ("Document");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "ArticleSearchChanges_new"; DROP TABLE IF EXISTS "ArticleSearch_new"; DROP TABLE IF EXISTS "ArticleSearch";""");
        }
    }
}
