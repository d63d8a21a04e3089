using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// Step 1 of SQLite's procedure for the <see cref="OpenPlatform"/> rebuild: foreign-key enforcement off on
    /// the migrating connection, outside a transaction and alone in its
    /// migration for the reasons <see cref="NewsroomToolsForeignKeysOff"/> gives.
    /// </summary>
    /// <remarks>No target model (no Designer file): the model is the same as the neighbouring migration's.</remarks>
    [DbContext(typeof(NewsDbContext))]
    [Migration("20261206123100_OpenPlatformForeignKeysOff")]
    public partial class OpenPlatformForeignKeysOff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);
    }
}
