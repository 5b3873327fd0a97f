//! The YAML format as written by people and importers: the unvalidated,
//! deserialised form. `validate` turns it into the model. The JSON Schemas
//! in `schema/` are generated from these types.
//!
//! Three kinds of file exist. Files under a catalogue's `catalog/` folder are
//! [`CatalogFile`]s (reference data); files under its `reviews/` folder are
//! [`ReviewFile`]s (reviewers' decisions, written by `tthc review import`);
//! every other `.yaml` file is one [`ProcedureFile`]. Field names borrow from CPSV-AP (PublicService) and
//! CCCEV (Requirement, EvidenceType, InformationConcept) in snake_case.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

/// A value with the line and column where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub line: u32,
    pub column: u32,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(Located {
            value: s.value,
            line: u32::try_from(s.referenced.line()).unwrap_or(u32::MAX),
            column: u32::try_from(s.referenced.column()).unwrap_or(u32::MAX),
        })
    }
}

impl<T> Located<T> {
    /// A value written by a program, with no place in a file yet.
    pub fn new(value: T) -> Self {
        Located {
            value,
            line: 0,
            column: 0,
        }
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A located identifier or reference.
pub type Ref = Located<String>;

/// A parameter with the source it comes from written beside it.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param<T> {
    pub value: Located<T>,
    /// Where the figure comes from: a legal provision, a report, a survey.
    pub source: String,
}

// ---------------------------------------------------------------------------
// Reference catalogue files
// ---------------------------------------------------------------------------

/// A file in a catalogue's `catalog/` folder. Any section may appear in any
/// file; the reference catalogue keeps one section per file.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Catalogue-wide settings. Exactly one file of the catalogue has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<Located<RawSettings>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<RawAgency>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provinces: Vec<RawProvince>,
    /// Information elements (CCCEV InformationConcept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<RawElement>,
    /// Kinds of paper (CCCEV EvidenceType).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document_types: Vec<RawDocumentType>,
    /// Databases and the VNeID wallet (DCAT Dataset + AccessService).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<RawSource>,
    /// Laws, decrees, circulars, resolutions (ELI LegalResource).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_documents: Vec<RawLegalDocument>,
    /// How importers recognise forms, notes and already-digital components.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recognition: Option<Located<RawRecognition>>,
    /// The published lists (`tthc lists`): which sources make a procedure
    /// belong to which list, in the order the lists are published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<RawList>,
}

/// One published list: the procedures with a paper cut through any of its
/// sources (e.g. list 1, papers integrated in VNeID).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawList {
    pub id: Ref,
    /// The list's title as published.
    pub name: Located<String>,
    /// Source ids: a paper cut through one of them puts its procedure on the list.
    pub sources: Vec<Ref>,
    /// Where the grouping comes from.
    pub source: String,
}

/// Phrases that tell what a dossier line is and how it is built, matched
/// case-insensitively on whole words, diacritics first (see
/// `docs/format.md`). Document types are recognised by their names and
/// aliases; these lists cover the rest.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRecognition {
    /// A component whose text starts with one of these is the application
    /// form or declaration itself (`Tờ khai`, `Đơn đề nghị`…).
    #[serde(default)]
    pub form_starts: Vec<String>,
    /// A component whose text contains one of these and names a data source
    /// says the information is already taken from that source.
    #[serde(default)]
    pub digital_phrases: Vec<String>,
    /// A line whose text starts with one of these is a note, not a paper.
    #[serde(default)]
    pub note_starts: Vec<String>,
    /// A line starting with one of these (`Trường hợp`, `Đối với`) states a
    /// condition; when it names no known paper it is kept as a note.
    #[serde(default)]
    pub condition_starts: Vec<String>,
    /// Words about the copy that may precede a paper's name (`Bản sao`,
    /// `Bản chính hoặc`), skipped when deciding whether a line is the form.
    #[serde(default)]
    pub lead_words: Vec<String>,
    /// Phrases saying a certified copy is required (`bản sao có chứng thực`).
    #[serde(default)]
    pub certified_copy_phrases: Vec<String>,
    /// Phrases saying the paper is shown, not handed in (`xuất trình`).
    #[serde(default)]
    pub present_phrases: Vec<String>,
    /// Words joining papers that are all required (`và`, `kèm theo`): each
    /// becomes a part of the component that data must replace.
    #[serde(default)]
    pub and_words: Vec<String>,
    /// Words joining alternatives (`hoặc`): any one of them will do.
    #[serde(default)]
    pub or_words: Vec<String>,
    /// Words saying the papers that follow are alternatives, whatever
    /// separates them (`một trong các giấy tờ sau`).
    #[serde(default)]
    pub one_of_words: Vec<String>,
    /// Words saying a paper comes in addition to the alternatives listed
    /// (`ngoài một trong các giấy tờ nêu trên … bổ sung …`): inside a list of
    /// alternatives, that paper is required together with one of them.
    #[serde(default)]
    pub addition_words: Vec<String>,
    /// Words introducing the papers that specify a general one before them
    /// (`gồm`, `như`): the specific papers are accepted, not the general one.
    #[serde(default)]
    pub specify_words: Vec<String>,
    /// Words after which papers are exceptions or substitutes, never asked
    /// for (`trừ`, `thay cho`, `không có`, `chưa được cấp`), up to the end of
    /// the clause.
    #[serde(default)]
    pub exception_words: Vec<String>,
    /// Words after which a paper is asked for even inside a sentence
    /// (`phải có`, `nộp`).
    #[serde(default)]
    pub requirement_words: Vec<String>,
    /// Words a paper's name starts with (`giấy`, `văn bản`, `tài liệu`): a
    /// part starting so is a paper even when no document type names it.
    #[serde(default)]
    pub paper_heads: Vec<String>,
    /// Words that contain a cue without being one (`thay đổi`, `khấu trừ`).
    #[serde(default)]
    pub neutral_words: Vec<String>,
    /// Words ending the clause an exception covers (`thì`).
    #[serde(default)]
    pub clause_ends: Vec<String>,
    /// Words joining copy words to the paper they copy (`bản sao điện tử
    /// được cấp từ sổ gốc của giấy phép lái xe`).
    #[serde(default)]
    pub copy_of_words: Vec<String>,
    /// Words asking for a paper's number, not the paper (`số Giấy phép
    /// thành lập hoặc Giấy chứng nhận đăng ký doanh nghiệp`).
    #[serde(default)]
    pub number_words: Vec<String>,
    /// Codes of the kinds of legal document in their numbers (`NĐ`, `TT`,
    /// `QĐ`): `…/2025/LLTP` is a form's number, not a legal document's.
    #[serde(default)]
    pub number_kinds: Vec<String>,
    /// Codes of the issuers in legal document numbers (`CP`, `TTg`, `BTC`),
    /// as officially written; a number glued to the next word ends with
    /// its issuer (`…/NĐ-CPThông tư`).
    #[serde(default)]
    pub number_issuers: Vec<String>,
    /// Phrases that qualify the papers a component names: issued abroad,
    /// whose paper, how recent, which land, handed in to be surrendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cues: Option<RawCuePhrases>,
    /// Where the lists come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Phrases that qualify papers (see `docs/format.md`, "Cues"). Matched
/// case-insensitively on whole words, diacritics as written.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCuePhrases {
    /// Phrases saying a paper was issued abroad (`do cơ quan có thẩm quyền
    /// nước ngoài cấp`, `hợp pháp hóa lãnh sự`). They qualify the papers
    /// named before them in the same clause, else those named after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issued_abroad: Vec<String>,
    /// Words that, right after a paper's name, say it is a foreign one
    /// (`hộ chiếu nước ngoài`); they qualify that paper only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_after: Vec<String>,
    /// Phrases saying whose paper it is, by holder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<RawHolderPhrases>,
    /// Words before a duration saying the paper must be recent (`không
    /// quá`, `trong vòng` … `06 tháng`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub freshness: Vec<String>,
    /// Words of issuing or taking (`cấp`, `chụp`) one of which must come
    /// before such a duration in its clause: without one, the duration is
    /// a deadline, not an age.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub freshness_verbs: Vec<String>,
    /// Phrases saying which land a paper is about, by land use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub land: Vec<RawLandPhrases>,
    /// Phrases saying the paper itself is handed in, to be surrendered or
    /// endorsed (`Giấy chứng nhận đã cấp`); they qualify the paper they
    /// overlap or follow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surrender: Vec<String>,
    /// Words that, opening a procedure's name, say the paper named right
    /// after them is handed in by the procedure itself (`Cấp đổi thẻ
    /// thường trú`, `Thu hồi giấy phép lái xe`): where a component asks
    /// for that paper alone, it is the old paper to surrender or endorse.
    /// Re-issuing (`Cấp lại`, often of a lost paper) is not among them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surrender_procedures: Vec<String>,
    /// Phrases saying the paper is checked as a thing (`còn nguyên vẹn`,
    /// `có thị thực`, `đóng dấu kiểm chứng nhập cảnh`): the original is
    /// shown, and data does not stand for it. They qualify the papers
    /// named before them in the same clause, else those named after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub physical: Vec<String>,
    /// Phrases saying a paper is asked only when the data cannot be read
    /// (`kết nối bị gián đoạn`, `không có số định danh cá nhân`): the
    /// paper is the way round a database, which therefore never replaces
    /// it. Read in a case's name only, where they qualify every paper of
    /// the case (in a line, `Trường hợp không khai thác được … thì nộp bản
    /// sao` names the way round a paper data does replace).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallback: Vec<RawFallbackPhrases>,
    /// Words after which a cue in the same clause states an exception
    /// (`trừ trường hợp người không quốc tịch`), not a qualifier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<String>,
    /// Words shortly before a holder phrase (five words at most, same
    /// clause) that make it another party, not the paper's holder (`hợp
    /// tác với đối tác nước ngoài`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counterparty: Vec<String>,
    /// Longer phrases holding a counterparty word that name no other party
    /// (`đối với`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_counterparty: Vec<String>,
    /// Words that stop a cue reaching back to papers named before them
    /// (`hộ chiếu còn nguyên vẹn và có thị thực do nước ngoài cấp`); a
    /// comma stops it too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reach_stops: Vec<String>,
    /// Words of a procedure's name before the holders it is for (`cấp thị
    /// thực cho người nước ngoài`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub beneficiary: Vec<String>,
    /// Where the lists come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Phrases naming papers of one kind of holder.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHolderPhrases {
    /// The holders the phrases name: the paper belongs to one of them.
    pub holders: Vec<Holder>,
    /// Whose paper it is when the phrases follow an exception word in
    /// their clause (`… (trừ tổ chức Việt Nam)`): phrases naming a whole
    /// class of holders leave the other class. Empty: an exception says
    /// nothing of the holder (`trừ người không quốc tịch` names only some
    /// foreigners).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_excepted: Vec<Holder>,
    pub phrases: Vec<String>,
}

/// Phrases saying the data of some sources cannot be read (`… với Cơ sở
/// dữ liệu quốc gia về dân cư bị gián đoạn`, `không có số định danh cá
/// nhân`).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFallbackPhrases {
    /// The sources whose data the phrases say cannot be read: only the
    /// papers they serve are the way round.
    pub sources: Vec<Ref>,
    pub phrases: Vec<String>,
}

/// Phrases naming one land use.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLandPhrases {
    pub land: LandUse,
    pub phrases: Vec<String>,
}

/// Whose paper it is. A data source declares whose papers it holds; a
/// document type, to whom Vietnamese authorities issue it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// Công dân Việt Nam.
    VietnameseCitizen,
    /// Người nước ngoài, stateless persons included (Luật 47/2014/QH13,
    /// khoản 1 Điều 3).
    Foreigner,
    /// Cơ quan, tổ chức, doanh nghiệp Việt Nam, including enterprises with
    /// foreign capital established under Vietnamese law.
    VietnameseOrganisation,
    /// Tổ chức, doanh nghiệp nước ngoài.
    ForeignOrganisation,
}

impl Holder {
    /// Organisations hold organisations' papers, persons persons'.
    pub fn is_organisation(self) -> bool {
        matches!(
            self,
            Holder::VietnameseOrganisation | Holder::ForeignOrganisation
        )
    }
}

/// Kinds of paper data never replaces, whatever a database holds: the
/// applicant makes them, or they are the thing itself.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    /// Ảnh: a photo is taken for the dossier; no database holds a recent one.
    Photo,
    /// Mẫu vật, mẫu chữ ký, mẫu nhãn: specimens.
    Specimen,
    /// Bản vẽ, bản đồ, sơ đồ: drawings, plans and maps.
    Drawing,
    /// Hợp đồng: contracts between parties.
    Contract,
    /// Báo cáo, thuyết minh, đề án, dự án: reports and projects.
    Report,
    /// Biên bản: minutes.
    Minutes,
}

/// Whether a planned date is decided by an authority or assumed by the
/// catalogue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueBasis {
    /// Set by a decision, a plan or a law.
    #[default]
    Decided,
    /// The catalogue's own assumption, to be confirmed.
    Assumed,
}

/// Whose papers a source holds, with where that comes from.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHolds {
    pub holders: Vec<Holder>,
    pub source: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FreshnessKind {
    /// Kept up to date continuously: what it says is true now.
    Live,
    /// Each record carries its date, so its age can be checked.
    Dated,
}

/// A source's declaration that its data can satisfy a requirement that a
/// paper be recent (`cấp không quá 06 tháng`).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFreshness {
    pub kind: FreshnessKind,
    pub source: String,
}

/// A source that serves residential land (đất ở) first: other land only
/// from a later date, or not at all.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLandPhase {
    /// From when other land is served too (`YYYY-MM-DD`); absent: not planned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_land_from: Option<Located<String>>,
    /// Whether that date is decided or assumed; default `decided`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_land_basis: Option<DueBasis>,
    pub source: String,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LandUse {
    /// Đất ở.
    Residential,
    /// Any other land: agricultural, forest, production, sea areas…
    Other,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    Day,
    Month,
    Year,
}

/// A span of time as written (`06 tháng`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDuration {
    pub count: u32,
    pub unit: DurationUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CueKind {
    /// The paper was issued abroad: no Vietnamese database holds it.
    IssuedAbroad,
    /// Whose paper it is (`holders`).
    Holder,
    /// The paper must be recent (`within`).
    Freshness,
    /// Which land the paper is about (`land`).
    Land,
    /// The paper itself is handed in, to be surrendered or endorsed.
    Surrender,
    /// The paper is checked as a thing (intact, its visa, its stamps).
    Physical,
    /// The paper is asked only when the data cannot be read.
    Fallback,
}

/// Words of a component's text that qualify the papers it names.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCue {
    pub cue: CueKind,
    /// The words as written in the text.
    pub words: Located<String>,
    /// The accepted document types it qualifies; default: every one (on a
    /// procedure: every paper of every component).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Ref>,
    /// For `holder`: the paper belongs to one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<Holder>,
    /// For `freshness`: issued (or taken) no longer ago than this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<RawDuration>,
    /// For `land`: the land use the text states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land: Option<LandUse>,
}

/// Analysis parameters. Every figure carries its source.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// The date the analysis is made at unless `--as-of` says otherwise, so
    /// that results do not drift with the clock (`YYYY-MM-DD`).
    pub analysis_date: Param<String>,
    /// Share of a province's records that must be digitised (0..=1) for a
    /// source to count as ready there.
    pub coverage_threshold: Param<f64>,
    /// Average hourly income of an applicant, VND (Standard Cost Model tariff).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hourly_income_vnd: Option<Param<f64>>,
    /// Minutes an applicant spends obtaining and bringing one paper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_per_paper: Option<Param<f64>>,
    /// Fee for one certified copy (chứng thực), VND per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certified_copy_fee_vnd: Option<Param<f64>>,
    /// Cost of one plain photocopy, VND per page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_cost_vnd: Option<Param<f64>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Bộ.
    Ministry,
    /// Cơ quan ngang bộ.
    MinisterialAgency,
    /// Cơ quan thuộc Chính phủ.
    GovernmentAgency,
    /// Tòa án, Viện kiểm sát, Kiểm toán nhà nước and other state bodies.
    JudicialOrOther,
    /// Ủy ban nhân dân cấp tỉnh / cấp xã.
    LocalGovernment,
}

/// An agency that owns or handles procedures, or operates a source (PublicOrganisation).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAgency {
    pub id: Ref,
    pub name: Located<String>,
    pub kind: AgencyKind,
    /// Other names the agency is written under (short forms, former names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The agency this one belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<Ref>,
    /// Where the fact comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProvinceKind {
    /// Thành phố trực thuộc trung ương.
    City,
    /// Tỉnh.
    Province,
}

/// A province-level unit in force since 1/7/2025.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProvince {
    pub id: Ref,
    pub name: Located<String>,
    pub kind: ProvinceKind,
    /// The provinces (before 1/7/2025) merged into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An information element (CCCEV InformationConcept): a field such as a
/// date of birth or a marital status.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawElement {
    pub id: Ref,
    pub name: Located<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Ways to derive this element: each entry is a set of elements that
    /// together yield it (AND inside an entry, OR between entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<Vec<Ref>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A kind of paper (CCCEV EvidenceType).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDocumentType {
    pub id: Ref,
    pub name: Located<String>,
    /// Names under which real dossiers write this paper; matched
    /// diacritic- and case-insensitively by the importers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Who issues it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// A general kind (`giấy tờ chứng minh`, `giấy chứng nhận`): when the
    /// text names specific papers right after it, those are accepted instead.
    #[serde(default, skip_serializing_if = "is_false")]
    pub generic: bool,
    /// A kind of paper data never replaces (photos, plans, contracts…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<PaperKind>,
    /// To whom Vietnamese authorities issue it; absent: anyone. A paper
    /// of another holder under the same name (a foreigner's passport) is
    /// not this document type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<Holder>,
    /// Whose paper must be shown, not presumed: a paper of this type is
    /// replaced only when the line, the procedure or its applicants show
    /// that it belongs to `holders` (a passport asked of applicants who
    /// may be foreigners may be a foreign passport).
    #[serde(default, skip_serializing_if = "is_false")]
    pub holder_stated: bool,
    /// The information elements the paper carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<Ref>,
    /// Where the fact comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Cơ sở dữ liệu quốc gia.
    NationalDatabase,
    /// Cơ sở dữ liệu chuyên ngành.
    SectorDatabase,
    /// The VNeID identity app's document wallet.
    Wallet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    Operational,
    Pilot,
    Planned,
}

/// What a source can supply.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawServes {
    /// Document types it replaces whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Ref>,
    /// Information elements it supplies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<Ref>,
}

/// Share of records digitised in one province.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProvinceCoverage {
    pub province: Ref,
    pub value: Located<f64>,
}

/// How much of a source's data is digitised, nationally and by province.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCoverage {
    /// Share (0..=1) in every province not listed below.
    pub default: Located<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_province: Vec<RawProvinceCoverage>,
    /// The lowest province's share when the source gives it without
    /// naming the province: no province not listed can be taken as ready
    /// for sure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lowest: Option<Located<f64>>,
    /// Where the figures come from.
    pub source: String,
}

/// The source's quality against "đúng – đủ – sạch – sống".
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuality {
    /// đúng: correct.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
    /// đủ: complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complete: Option<bool>,
    /// sạch: clean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean: Option<bool>,
    /// sống: kept live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A national or sector database, or the VNeID wallet.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Ref,
    pub name: Located<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub kind: SourceKind,
    /// Agency id of the operator.
    pub operator: Ref,
    pub status: Located<SourceStatus>,
    /// Date from which it may be used (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Located<String>>,
    /// For planned sources: the date it is due to be ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Located<String>>,
    /// Whether `due` is decided or the catalogue's assumption; default
    /// `decided`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_basis: Option<Located<DueBasis>>,
    pub serves: RawServes,
    /// Whose papers it holds; absent: no restriction is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holds: Option<RawHolds>,
    /// Whether its data can show that a paper is recent enough; absent:
    /// it cannot replace a paper the text wants recent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freshness: Option<RawFreshness>,
    /// Residential land first, other land later or never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub land_phase: Option<RawLandPhase>,
    /// Digitisation by province; absent means complete everywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<RawCoverage>,
    /// Provisions that allow its data to replace paper.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<RawProvision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<RawQuality>,
    /// Where the facts come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalKind {
    HienPhap,
    BoLuat,
    Luat,
    PhapLenh,
    NghiQuyet,
    NghiDinh,
    QuyetDinh,
    ThongTu,
    ThongTuLienTich,
    Other,
}

/// A legal document (ELI LegalResource).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLegalDocument {
    /// Official number, e.g. `123/2015/NĐ-CP`; normalised on load.
    pub number: Ref,
    pub kind: LegalKind,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Date of issue (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Located<String>>,
    /// Numbers of the documents that amend this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended_by: Vec<Ref>,
}

/// A legal provision: a document and, optionally, where in it.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProvision {
    /// The document's number, e.g. `123/2015/NĐ-CP`.
    pub document: Ref,
    /// Article/clause/point/annex as written, e.g. `Điểm a khoản 1 Điều 16`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provision: Option<String>,
    /// The prescribed form, e.g. `Mẫu số 01`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
}

// ---------------------------------------------------------------------------
// Procedure files
// ---------------------------------------------------------------------------

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Cấp bộ / trung ương.
    Bo,
    /// Cấp tỉnh.
    Tinh,
    /// Cấp xã.
    Xa,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Trực tiếp.
    InPerson,
    /// Trực tuyến.
    Online,
    /// Dịch vụ bưu chính.
    Post,
}

/// A way to submit the dossier.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub kind: ChannelKind,
    /// Processing time as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Processing time in working days, where stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<Located<f64>>,
    /// Fees as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<String>,
}

/// A legal document the procedure rests on.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLegalRef {
    pub number: Ref,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A result the procedure produces.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResult {
    pub name: String,
    /// National result code, e.g. `KQ.G15.000032`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Located<String>>,
    /// The document type the result is, if catalogued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_type: Option<Ref>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The application form or declaration (tờ khai, đơn): never replaced by data.
    Form,
    /// A paper brought as evidence.
    Evidence,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    /// Bản chính.
    Original,
    /// Bản sao.
    Copy,
    /// Bản sao có chứng thực.
    CertifiedCopy,
    /// Xuất trình (shown, not handed in).
    Present,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuantity {
    pub count: u32,
    pub kind: CopyKind,
}

/// The procedure already takes this information from a database.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAlreadyDigital {
    pub sources: Vec<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Words of a component's text that name a document type it accepts.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMatch {
    pub document: Ref,
    /// The words exactly as in the component's `text`.
    pub words: Located<String>,
    /// Where they start in `text`, in characters from 0; default: their
    /// first occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Located<u32>>,
}

/// One required part of a component: data replaces the component only when
/// it replaces every part.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPart {
    /// The part's words exactly as in the component's `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Located<String>>,
    /// Where they start in `text`, in characters from 0; default: their
    /// first occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Located<u32>>,
    /// Document types any one of which satisfies this part; none: a paper
    /// no document type names, which data cannot replace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepts: Vec<Ref>,
}

/// One paper of the dossier (CCCEV Requirement).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawComponent {
    /// Identifier unique inside the procedure; defaults to its position (`c1`, `c2`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Ref>,
    /// The component's text as written in the legal text or on the portal.
    pub text: Located<String>,
    /// `form` for the application form itself; default `evidence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quantity: Vec<RawQuantity>,
    /// Accepted document types: any one of them satisfies the component
    /// (CCCEV EvidenceTypeList).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepts: Vec<Ref>,
    /// Instead of `accepts`, when the text asks for several papers together
    /// (`A và B`, `A; B`): every part is required, each with its own
    /// alternatives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<RawPart>,
    /// The words of `text` that named each accepted document type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<RawMatch>,
    /// The information elements actually relied on; default: every element
    /// the accepted document carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relies_on: Vec<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub already_digital: Option<RawAlreadyDigital>,
    /// Provisions that mandate this component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisions: Vec<RawProvision>,
    /// Set when the paper could not be recognised; says why, for a reviewer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unrecognised: Option<String>,
    /// Words of the text that qualify the papers it names: issued abroad,
    /// whose paper, how recent, which land, handed in to be surrendered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<RawCue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A group of components that applies in one case (trường hợp).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCase {
    /// The case as written, e.g. `Trường hợp đăng ký lại`.
    pub name: String,
    pub components: Vec<RawComponent>,
}

/// One administrative procedure (CPSV-AP PublicService).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureFile {
    /// National code, `N.NNNNNN`.
    pub code: Located<String>,
    pub name: Located<String>,
    /// Agency id of the owning ministry or agency.
    pub agency: Ref,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    /// Who may apply, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applicants: Vec<String>,
    /// The body that handles the dossier, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handled_by: Option<String>,
    /// Dossiers per year, with its source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_volume: Option<Param<f64>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<RawChannel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<RawLegalRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<RawResult>,
    /// Components required in every case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<RawComponent>,
    /// Components required only in particular cases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<RawCase>,
    /// Cues of the procedure itself (its name or applicants say whose
    /// papers the dossier holds), for every component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<RawCue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where the record comes from (portal address, decision number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

// ---------------------------------------------------------------------------
// Review files
// ---------------------------------------------------------------------------

/// A reviewer's decision on a component.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Đồng ý cắt giảm: the paper goes from the dossier.
    Accepted,
    /// Không đồng ý: the paper stays.
    Rejected,
    /// Cần xem xét thêm: not decided yet.
    Pending,
}

/// One decision of a review round.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDecision {
    /// National code of the procedure.
    pub procedure: Located<String>,
    /// The component: its `id` where the procedure file gives one, else
    /// `t-` and the first 12 hex digits of the SHA-256 of its case and
    /// normalised text (stable across re-imports).
    pub component: Located<String>,
    /// First 16 hex digits of the SHA-256 of the component's normalised
    /// text when it was decided; a different text makes the decision stale.
    pub fingerprint: Located<String>,
    /// The component's text when it was decided.
    pub text: String,
    pub decision: Located<Decision>,
    /// Source ids through which the paper is cut: the machine's suggestion
    /// when the reviewer agreed with it, or the source the reviewer named
    /// for a paper the machine kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Ref>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// Date of the decision (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Located<String>>,
    /// Where the decision was read: workbook, sheet and cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// The decisions of one ministry's reviewers: `reviews/<ministry>.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// Agency id of the ministry.
    pub ministry: Ref,
    pub decisions: Vec<RawDecision>,
}

/// JSON Schema of a `reviews/` file.
pub fn review_schema() -> Schema {
    schemars::schema_for!(ReviewFile)
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// JSON Schema of a `catalog/` file.
pub fn catalog_schema() -> Schema {
    schemars::schema_for!(CatalogFile)
}

/// JSON Schema of a procedure file.
pub fn procedure_schema() -> Schema {
    schemars::schema_for!(ProcedureFile)
}
