import { describe, expect, it } from 'vitest';
import { CtgovFormatError, extractCtgovStudies, mapCtgovStudy } from '../../../src/domain/ctgov';
import { readSynthetic } from './fixtures';

const v2 = () => readSynthetic('NCT99999902.json');

describe('extractCtgovStudies', () => {
  it('accepts one study, an array of studies, and a /studies page', () => {
    const study = v2();
    expect(extractCtgovStudies(study)).toEqual([study]);
    expect(extractCtgovStudies([study, study])).toEqual([study, study]);
    expect(extractCtgovStudies({ studies: [study], nextPageToken: 'x' })).toEqual([study]);
    expect(extractCtgovStudies({ studies: [] })).toEqual([]);
  });

  it('refuses classic bodies with a message naming the retired format', () => {
    for (const body of [
      { FullStudiesResponse: { FullStudies: [] } },
      { FullStudy: {} },
      { Study: { ProtocolSection: {} } },
    ]) {
      expect(() => extractCtgovStudies(body)).toThrow(CtgovFormatError);
      expect(() => extractCtgovStudies(body)).toThrow(
        /classic ClinicalTrials\.gov API format.*retired.*API v2 JSON/,
      );
    }
  });

  it('refuses bodies of any other shape', () => {
    for (const body of [null, 'NCT99999902', 42, { hello: 'world' }, { studies: 'none' }]) {
      expect(() => extractCtgovStudies(body)).toThrow(/not ClinicalTrials\.gov API v2 JSON/);
    }
  });
});

describe('mapCtgovStudy refuses records it cannot map', () => {
  it('a classic record inside an array', () => {
    const [classic] = extractCtgovStudies([{ Study: { ProtocolSection: {} } }]);
    expect(() => mapCtgovStudy(classic)).toThrow(/classic.*retired/);
  });

  it('a value that is not a v2 study', () => {
    for (const value of [null, [], 'x', { studies: [] }, { protocolSection: 'x' }]) {
      expect(() => mapCtgovStudy(value)).toThrow(/not a ClinicalTrials\.gov API v2 study/);
    }
  });

  it('a record whose NCT id is missing or malformed, with the path of the field', () => {
    const record = v2() as { protocolSection: { identificationModule: { nctId?: string } } };
    record.protocolSection.identificationModule.nctId = 'NCT123';
    const error = (() => {
      try {
        mapCtgovStudy(record);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CtgovFormatError);
    expect((error as CtgovFormatError).path).toBe('/protocolSection/identificationModule/nctId');
    expect((error as Error).message).toMatch(/NCT followed by 8 digits/);
  });

  it('a record without a title or a study type', () => {
    const untitled = v2() as { protocolSection: { identificationModule: Record<string, unknown> } };
    delete untitled.protocolSection.identificationModule.briefTitle;
    expect(() => mapCtgovStudy(untitled)).toThrow(/neither an officialTitle nor a briefTitle/);
    const untyped = v2() as { protocolSection: { designModule: Record<string, unknown> } };
    delete untyped.protocolSection.designModule.studyType;
    expect(() => mapCtgovStudy(untyped)).toThrow(/studyType/);
  });
});
