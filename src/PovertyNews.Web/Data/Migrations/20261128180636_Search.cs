using Microsoft.EntityFrameworkCore.Migrations;
using PovertyNews.Web.Data.Sqlite;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// The full-text index is not part of the EF model: each provider creates its own. The index is filled at
    /// start by <c>ISearchIndex.EnsureBuiltAsync</c>, which needs the analyzer and so cannot run in SQL.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql(SqliteSearchIndex.CreateSql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
            {
                migrationBuilder.Sql(SqliteSearchIndex.DropSql);
            }
        }
    }
}
