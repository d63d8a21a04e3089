using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// Step 1 of SQLite's procedure for the <see cref="NewsroomTools"/> rebuild: foreign-key enforcement off on
    /// the migrating connection. <c>PRAGMA foreign_keys</c> does nothing inside a transaction, so it runs outside one;
    /// alone in its migration, as EF Core asks of operations that cannot be transactional, it cannot leave a
    /// migration half applied. Setting a pragma twice is harmless, so re-running it is too.
    /// </summary>
    /// <remarks>
    /// No target model (no Designer file): the model is the same as the previous migration's, and EF Core would
    /// otherwise build one more copy of it on every first start.
    /// </remarks>
    [DbContext(typeof(NewsDbContext))]
    [Migration("20261206060724_NewsroomToolsForeignKeysOff")]
    public partial class NewsroomToolsForeignKeysOff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);
    }
}
