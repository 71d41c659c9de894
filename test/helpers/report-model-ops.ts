/** The report model's mutations, as the access matrix and the bad-input tests send them. */
const FIELDS = 'userErrors { code field message }';
export const DEFINE_STAGES = `mutation($input: DefineStagesInput!) { defineStages(input: $input) {
  stages { name percent } ${FIELDS} } }`;
export const SET_ITEM_STAGE = `mutation($input: SetItemStageInput!) { setItemStage(input: $input) {
  ${FIELDS} } }`;
export const DEFINE_METRIC = `mutation($input: DefineMetricInput!) { defineMetric(input: $input) {
  metric { id name target burnDown } ${FIELDS} } }`;
export const RECORD_READING = `mutation($input: RecordMetricReadingInput!) {
  recordMetricReading(input: $input) { reading { id value lowerBound actor } ${FIELDS} } }`;
export const SET_MILESTONE = `mutation($input: SetMilestoneInput!) { setMilestone(input: $input) {
  milestone { id name due duePrecision doneDate slipDays } ${FIELDS} } }`;
export const DEFINE_FIGURES = `mutation($input: DefineNamedFiguresInput!) {
  defineNamedFigures(input: $input) { figures ${FIELDS} } }`;
export const POST_UPDATE = `mutation($input: PostUpdateInput!) { postUpdate(input: $input) {
  update { id author body } ${FIELDS} } }`;
