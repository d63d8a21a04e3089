using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PovertyNews.Web.Data.Postgres;

#nullable disable

namespace PovertyNews.Web.Data.Postgres.Migrations
{
    /// <summary>
    /// The search table's second tsvector, its rows' positional lexemes alone, in which phrases are checked
    /// (Search/Postgres/TsText.Vectors). Outside the EF model like the table, so no model change and no designer
    /// snapshot. Rows saved from now on fill it; the table's comment gains "positions" only when a rebuild has filled
    /// every row, and until then searches check phrases in the whole document, as before.
    /// </summary>
    [DbContext(typeof(PostgresNewsDbContext))]
    [Migration("20261207104500_SearchPositions")]
    public partial class SearchPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "ArticleSearch" ADD COLUMN IF NOT EXISTS "Positions" tsvector;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "ArticleSearch" DROP COLUMN IF EXISTS "Positions";""");
        }
    }
}
