using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// The last step of SQLite's procedure for the <see cref="NewsroomTools"/> rebuild: foreign-key enforcement
    /// back on for the rest of the migrating connection's life. Outside a transaction and alone in its migration for
    /// the same reasons as <see cref="NewsroomToolsForeignKeysOff"/>.
    /// </summary>
    [DbContext(typeof(NewsDbContext))]
    [Migration("20261206060726_NewsroomToolsForeignKeysOn")]
    public partial class NewsroomToolsForeignKeysOn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);
    }
}
